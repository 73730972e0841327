"""Demo evidence for the demo student's final placement: written here so the demo reads like
a real portfolio. Used by seed_demo; not a command of its own."""

# (kind, title, days after the start, status, reflection, [(domain code, note)])
MAIN_EVIDENCE = [
    (
        "direct_observation",
        "Direct observation: carer's assessment with Mrs B at home",
        12,
        "accepted",
        "I visited Mrs B with Helen to begin a carer's assessment. I had planned the visit "
        "around **what matters to Mrs B**, rather than the form, and agreed beforehand with "
        "Helen that I would lead.\n\n"
        "- I opened by explaining why we were there and what would happen to the information.\n"
        "- When Mrs B became tearful talking about nights, I slowed down and let the silence "
        "sit before moving on.\n"
        "- I noticed I drifted back to the form towards the end, which Helen also picked up.\n\n"
        "Next time I will keep the form out of sight until the last ten minutes.",
        [
            (
                "SKILLS",
                "I led the conversation and used silence and summarising to keep it "
                "person-centred.",
            ),
            (
                "VALUES",
                "I explained consent and confidentiality before we began and checked Mrs "
                "B's understanding.",
            ),
            ("REFLECTION", "I reflect on drifting back to the form and what I will change."),
        ],
    ),
    (
        "critical_reflection",
        "Critical incident analysis: a safeguarding referral and consent",
        20,
        "accepted",
        "A neighbour raised a concern about financial abuse of an older man with early "
        "dementia. I wanted to act quickly, but the duty manager asked me first to think about "
        "his **wishes and capacity** for this decision.\n\n"
        "Reading the Care Act guidance again, I saw that making safeguarding personal meant "
        "asking him what outcome he wanted, not deciding for him. I arranged to see him alone.",
        [
            ("RIGHTS", "I weighed his right to make his own decisions against the risk of harm."),
            ("KNOWLEDGE", "I applied the Care Act 2014 and the Mental Capacity Act principles."),
            ("VALUES", "I describe the tension between protection and autonomy."),
        ],
    ),
    (
        "supervision",
        "Supervision record: managing risk and positive risk-taking",
        26,
        "accepted",
        "**Agenda:** caseload, the safeguarding enquiry, my learning goals.\n\n"
        "**Agreed actions:** I will shadow a best-interests meeting; Helen will share the "
        "team's positive risk-taking policy; next supervision in two weeks.",
        [
            ("PROF", "I used supervision to reflect and agreed my own learning actions."),
            ("CONTEXTS", "We discussed the team's risk policy and how it shapes decisions."),
        ],
    ),
    (
        "case_review",
        "Lessons from a published review: a safeguarding adults review on self-neglect",
        33,
        "submitted",
        "I read a published safeguarding adults review about self-neglect. Its main lesson "
        "was that agencies each held part of the picture and no one drew it together.\n\n"
        "In my own practice this means **asking who else is involved** and making contact, "
        "rather than assuming someone else has.",
        [
            ("REFLECTION", "I analyse the review's findings and relate them to my practice."),
            ("CONTEXTS", "The review shows how organisational boundaries shape outcomes."),
            ("LEADERSHIP", "I shared a summary with the team at our practice forum."),
        ],
    ),
    (
        "written_work",
        "Case study: a care and support plan for Mr H going home from hospital",
        41,
        "revision_requested",
        "A draft care and support plan for a man returning home from hospital, written with "
        "him and his daughter.",
        [
            ("SKILLS", "The plan translates the assessment into agreed, measurable outcomes."),
        ],
    ),
    (
        "critical_reflection",
        "Process recording: first meeting with a young carer, J",
        45,
        "draft",
        "| What was said | What I felt and thought |\n|---|---|\n"
        '| "I\'m fine, I just help Mum." | I sensed he was protecting his mum and me. |\n',
        [("DIVERSITY", "I considered how age and caring role shape what he felt able to say.")],
    ),
    (
        "direct_observation",
        "Direct observation: a duty call from a daughter worried about her father's discharge",
        58,
        "accepted",
        "Tom observed me on duty when a daughter rang, upset that her father was to be "
        "discharged home the next day without a care package in place.\n\n"
        "I let her say everything before I asked questions, then checked what her father "
        "himself wanted. I was honest that I could not promise a package by the morning, and "
        "agreed to speak to the ward and ring her back by four, which I did.\n\n"
        "Tom's feedback was that I held the call calmly but took too long to get to what she "
        "needed from us today. I will summarise earlier next time.",
        [
            ("SKILLS", "I stayed calm, listened and agreed a clear next step with a time."),
            (
                "CONTEXTS",
                "I worked across the hospital discharge process and the team's duty role.",
            ),
            ("RIGHTS", "I kept her father's own wishes central while hearing his daughter."),
        ],
    ),
    (
        "critical_reflection",
        "Process recording: a young carer and her school",
        64,
        "accepted",
        "This is my process recording of meeting a fourteen-year-old who cares for her mum. "
        "In the first column I set out what was said; in the second what I felt and thought; "
        "in the third Helen's comments from supervision.\n\n"
        "I noticed I spoke to her as a child first and a carer second, and that her mum "
        "answered for her twice. I asked to speak with her alone next time, and we agreed how "
        "school could be told about her caring role without her feeling singled out.",
        [
            ("DIVERSITY", "I reflect on age, power and how the family's culture shaped who spoke."),
            ("VALUES", "I sought her own view and her consent before contacting school."),
            ("REFLECTION", "I use the three columns to question my own assumptions."),
        ],
    ),
    (
        "direct_observation",
        "Direct observation: reviewing Mr and Mrs K's care and support plan",
        79,
        "accepted",
        "Helen observed me chair a six-week review of Mr K's care and support plan with him, "
        "his wife and the care agency's coordinator.\n\n"
        "I had prepared a short agenda in large print and sent it a week before. When the "
        "agency said visits could not move earlier, I asked what it would take and agreed a "
        "trial with a named carer.\n\n"
        "Helen's feedback: good use of the agenda and of Mr K's own words; next time record "
        "the agreed changes on the plan during the meeting, not afterwards.",
        [
            ("SKILLS", "I chaired the review and negotiated a change to the visits."),
            ("LEADERSHIP", "I led the meeting and kept the agency to an agreed trial."),
            ("DIVERSITY", "I adapted the agenda and pace for Mr K's sight loss."),
            ("KNOWLEDGE", "I used the Care Act review duties to frame the meeting."),
        ],
    ),
    (
        "written_work",
        "Case study: assessing Mr D's needs, living alone after a stroke",
        92,
        "submitted",
        "My assessment of Mr D's eligible needs under the Care Act, written for the team's "
        "allocation meeting. I set out his own goals first, then the outcomes he cannot "
        "achieve, the impact on his wellbeing and the options we discussed.\n\n"
        "I asked the occupational therapist to check the section on transfers before I "
        "submitted it, and changed two phrases she thought would alarm him.",
        [
            ("KNOWLEDGE", "I apply the eligibility criteria and explain them plainly."),
            ("PROF", "I wrote to the team's standard and within the agreed time."),
            ("RIGHTS", "I considered his finances and benefits in the options offered."),
        ],
    ),
]

COMMENTS = [
    # (evidence index, who, text)
    (
        0,
        "educator",
        "A thoughtful account. Your use of silence was noticeable and kind. Let's "
        "talk about how you brought the assessment back to her priorities.",
    ),
    (0, "supervisor", "Mrs B told me afterwards she felt listened to. Well done."),
    (3, "supervisor", "Good that you shared this at the forum; two colleagues mentioned it."),
]

REVISION_COMMENT = (
    "Please add the daughter's views in her own words and link each outcome to the needs "
    "identified in the assessment."
)

NAMES_TO_KEEP_OUT = ["Margaret Brown", "Jayden"]


# Structured details of the items above that have them, by title.
DETAILS = {
    "Direct observation: carer's assessment with Mrs B at home": {
        "planning_notes": "We agreed I would lead, Helen would observe and only step in if "
        "Mrs B became distressed. My aim was to hear what a good week looks like for her.",
        "observation_record": "Forty-minute visit at home. I explained the purpose of the "
        "assessment, asked open questions about her caring role, and summarised what I had "
        "heard before agreeing next steps.",
    },
    "Supervision record: managing risk and positive risk-taking": {
        "attendees": "Amara Osei (student), Helen Marsh (practice educator)",
        "agenda": "Caseload; the safeguarding enquiry; learning goals.",
        "notes": "Discussed how the team weighs risk against people's own choices.",
        "agreed_actions": "Shadow a best-interests meeting. Read the positive risk-taking "
        "policy. Next supervision in two weeks.",
    },
}

# The educator's feedback on an observed session, by domain.
OBSERVATION_FEEDBACK_BY_DOMAIN = {
    "SKILLS": "You planned the session and kept to its purpose while following the person's "
    "lead. Summarise earlier so they can correct you while there is time.",
    "VALUES": "You explained your role and consent plainly at the start and checked it had "
    "been understood.",
    "C6": "You engaged the client warmly and explained your role clearly.",
    "C8": "The intervention followed the plan you agreed, and you adjusted it when needed.",
}
OBSERVATION_FEEDBACK = {
    "SKILLS": "You created space for Mrs B to talk about what mattered to her, and your summary "
    "at the end was accurate and kind. Keep the form out of the way for longer next time.",
    "VALUES": "Clear, unhurried explanation of consent and confidentiality; you checked she "
    "had understood rather than assuming it.",
    "REFLECTION": "An honest account of where the visit drifted, with a concrete change.",
}

EDUCATOR_SUPERVISION = {
    "attendees": "Helen Marsh (practice educator), Amara Osei (student), Tom Pritchard "
    "(on-site supervisor, first half)",
    "agenda": "Midpoint preparation; evidence so far; the care and support plan.",
    "notes": "Amara's evidence is strongest in direct work and reflection. We agreed she needs "
    "more evidence of Professional Leadership before the final review.",
    "agreed_actions": "Amara to present the case review lessons at the team meeting; Helen to "
    "arrange a joint visit with the occupational therapist.",
}

SERVICE_USER_FEEDBACK = [
    # (work description, answers, verified?)
    (
        "our first meeting at your home",
        {
            "relationship": "carer",
            "listened": "yes",
            "respected": "yes",
            "went_well": "She didn't rush me and she wrote down what I said properly. She "
            "came back when she said she would.",
            "could_improve": "Tell us a bit more about what happens next.",
            "given_name": "",
        },
        True,
    ),
    (
        "the review meeting at the day centre",
        {
            "relationship": "service_user",
            "listened": "mostly",
            "respected": "yes",
            "went_well": "She asked me what I wanted, not just my son.",
            "could_improve": "",
            "given_name": "Pat",
        },
        False,
    ),
]

# The student's own words beside each self-rating, by whether they rate themselves at the level.
SELF_MEETS = [
    "I think I show this now. The pieces I mapped to it are my best examples, and my "
    "educator's feedback on them was positive.",
    "I have grown in this. Early on I needed prompting; in the last month I have done it "
    "without being asked.",
]
SELF_BELOW = [
    "I am less sure here. I understand it in supervision but I have not had many chances "
    "to show it in practice yet.",
]
# The programme's areas of practice every final review rates, by programme.
UK_PRACTICE_AREAS = [
    "adult-social-care",
    "safeguarding-adults",
    "mental-health",
    "hospital-health",
    "child-protection",
    "community-development",
]
US_PRACTICE_AREAS = ["child-protection", "mental-health", "education-settings", "older-people"]
# What a learning agreement says, for every demo placement.
AGREEMENT = {
    "supervision_frequency": "Fortnightly, with a short check-in in the weeks between",
    "supervision_length": "90 minutes",
    "induction": "Two weeks: the team's systems and recording policy, shadowing duty, meeting "
    "partner agencies, and the safeguarding procedures.",
    "study_days": "One study day a fortnight, agreed in advance and recorded in the log.",
    "workload": "Three or four allocated pieces of work by week four, rising to a protected "
    "caseload of six by the midpoint.",
    "concerns_process": "Raised first in supervision; if not resolved, the tutor is told and a "
    "three-way meeting held within ten working days.",
    "supervisor_role": "Day-to-day guidance, duty support and one direct observation; "
    "comments on the reviews, never grades.",
}
# Learning goals by PCF domain code; other frameworks' competencies take the generic ones.
AGREEMENT_GOALS = {
    "PROF": "Manage my own caseload and time, and use supervision to plan my learning.",
    "VALUES": "Recognise where my own values meet the people I work with, and talk it through.",
    "DIVERSITY": "Adapt how I communicate to each person's language, age, culture and needs.",
    "RIGHTS": "Explain people's rights and entitlements plainly and help them claim them.",
    "KNOWLEDGE": "Use the law and research that frame the team's work, and say how.",
    "REFLECTION": "Write reflections that question my assumptions, not only describe events.",
    "SKILLS": "Plan and lead assessment visits with growing independence.",
    "CONTEXTS": "Work with other agencies and record decisions to the team's standard.",
    "LEADERSHIP": "Chair at least one meeting and share one piece of learning with the team.",
}
GENERIC_GOALS = [
    "Plan and lead direct work with growing independence.",
    "Use supervision to examine my own values and assumptions.",
    "Understand the law and policy that frame the agency's work.",
    "Work alongside other agencies and record decisions to the agency's standard.",
]
BLOCKED_JUSTIFICATION = (
    "{name} has worked hard and I would like to recommend a pass; the remaining gaps should "
    "close in the final weeks."
)
STRENGTHS = [
    "Stays calm and clear with people who are angry or frightened, and explains the role honestly.",
    "Reflective writing that questions assumptions and leads to visible changes in practice.",
    "Works well across agencies: prepared, concise and clear about what was agreed.",
    "Gathers information carefully and writes assessments that are clear, balanced and quick "
    "to read.",
    "Builds trust with people quickly; service users describe feeling listened to.",
    "Uses supervision well: brings questions, acts on feedback and reflects honestly.",
]
SUITABILITY = [
    (
        "adult-social-care",
        "well_suited",
        "Confident, organised assessment work with adults and "
        "carers; good multi-agency communication.",
    ),
    (
        "hospital-health",
        "with_support",
        "Manages pace well but would need support with "
        "discharge pressures and complex capacity decisions.",
    ),
    (
        "child-protection",
        "not_at_present",
        "Has not yet shown the assertiveness needed for "
        "statutory child protection enquiries; could grow into it with experience.",
    ),
    ("community-development", "not_observed", ""),
    (
        "safeguarding-adults",
        "with_support",
        "Handled two section 42 enquiries carefully with close supervision; ready to lead "
        "them with support in a first post.",
    ),
    (
        "mental-health",
        "with_support",
        "Calm and respectful with people in distress; would need support with Mental Health "
        "Act work.",
    ),
    (
        "education-settings",
        "well_suited",
        "Works easily with school staff and young people; clear about confidentiality.",
    ),
    (
        "older-people",
        "well_suited",
        "Patient, thorough assessments with older adults and their families.",
    ),
]
RECOMMENDATION_PASS = (
    "{name} meets the capabilities expected at the end of this placement across all domains, "
    "shown holistically through observed practice, reflection and feedback."
)
SUPERVISOR_REVIEW_COMMENT = (
    "From the team's side: Amara is reliable and well organised, and colleagues ask for her "
    "on joint visits. Worth noting her confidence in MDT meetings has grown a lot."
)
MIDPOINT_SUMMARIES = [
    "{name} is on track at the midpoint: reliable, warm with the people we work with, and "
    "using supervision well. The next half should bring more independent work and more "
    "analysis in writing.",
    "Halfway through, {name} is where I would expect. Direct work is a strength; recording "
    "and the use of research are the areas we have agreed to build on.",
    "{name} has settled into the team quickly and is on track. We have agreed two learning "
    "goals for the second half: leading a meeting and a piece of research-minded practice.",
]
FINAL_SUMMARIES = [
    "{name} has grown across the placement into a confident, reflective practitioner who "
    "meets the level expected in every domain.",
    "{name} leaves the placement ready for the next stage: reliable, thoughtful and trusted "
    "by the people we work with and by colleagues.",
    "Over the placement {name} has moved from careful observation to leading work with "
    "growing independence; the evidence supports a pass across all domains.",
]
MIDPOINT_SUMMARY = (
    "Halfway through, {name} is on track: strongest in direct work and reflection, with "
    "Professional Leadership the area to build before the final review."
)
STUDENT_ACK_COMMENTS = [
    "I agree with the review. The suitability notes are fair; I want to build my confidence "
    "in statutory settings in my first post.",
    "Thank you for a fair and detailed report. I will take the point about analysis in my "
    "writing into my ASYE.",
    "I agree. Supervision was where I learnt most, and I am grateful for the time given.",
    "",
]
CONCERN = (
    "Case recording is frequently late (three records over two weeks overdue) and the "
    "student has missed two agreed supervision sessions without notice."
)
CONCERN_TARGETS = {
    "PROF": "All case records up to date within 48 hours of contact; supervision attended "
    "as agreed, with notice if it must move.",
    "CONTEXTS": "Explain the team's recording policy and why timeliness matters for the "
    "people we support.",
}
MIDPOINT_NO_CONCERN = (
    "{name} is below the level in one domain at the midpoint because the opportunities to "
    "show it have not come up yet; they are planned for the coming weeks, so no concern is "
    "needed."
)
MIDPOINT_ACK_COMMENT = (
    "Thank you. I agree that leadership is the area to work on; I have asked to chair a "
    "review meeting before the final review."
)
MIDPOINT_CONCERNS_SUMMARY = (
    "{name} relates warmly to people but recording and reliability are below what is "
    "expected; a concern with an action plan is in place and the tutor has been told."
)
FINAL_SUMMARY = (
    "Amara has grown from a careful, capable student into a practitioner who leads work "
    "with adults and carers with confidence. Her assessments are clear and respectful, and "
    "colleagues and the people she works with trust her judgement."
)
ABSENCE_REASONS = [
    "Sickness (a heavy cold); phoned the team before 9.",
    "Hospital appointment, agreed in advance.",
    "Family emergency; told the on-site supervisor the same morning.",
]
DETAILS["Direct observation: a duty call from a daughter worried about her father's discharge"] = {
    "observer": "supervisor",
    "planning_notes": "Tom and I agreed he would sit in on my duty afternoon and only step in "
    "if a call needed a manager.",
    "observation_record": "A twenty-minute call with a worried relative about a hospital "
    "discharge, then the follow-up call to the ward.",
}
DETAILS["Direct observation: reviewing Mr and Mrs K's care and support plan"] = {
    "observer": "educator",
    "planning_notes": "Helen and I agreed I would chair the whole meeting and she would "
    "watch how I held the agency to account.",
    "observation_record": "A forty-five-minute six-week review at Mr and Mrs K's home with "
    "the care agency's coordinator.",
}

# Files attached to the demo student's evidence: (type, name, lines), by title.
FILES = {
    "Process recording: a young carer and her school": (
        "docx",
        "process-recording-young-carer.docx",
        (
            '"Mum needs me in the mornings." | I felt the weight of what she carries. | '
            "She sees caring as love, not a burden; the plan must start there.",
            '"School think I\'m lazy." | Anger on her behalf. | The school does not know; '
            "with her consent, telling them is the first step.",
        ),
    ),
    "Case study: assessing Mr D's needs, living alone after a stroke": (
        "pdf",
        "assessment-of-need-mr-d.pdf",
        (
            "Mr D's own goals: to get to the shop on his own and to keep his allotment.",
            "Outcomes he cannot achieve without support: washing, preparing meals.",
            "Options discussed: a reablement package, a personal assistant, equipment.",
        ),
    ),
    "Direct observation: reviewing Mr and Mrs K's care and support plan": (
        "png",
        "ecomap-mr-k.png",
        ("Mrs K", "Care agency", "GP", "Sight loss team", "Church", "Son"),
    ),
    "Supervision record: managing risk and positive risk-taking": (
        "pdf",
        "supervision-notes.pdf",
        (
            "Agenda: caseload; the safeguarding enquiry; learning goals.",
            "Agreed actions: shadow a best-interests meeting; read the positive risk-taking "
            "policy; next supervision in two weeks.",
        ),
    ),
}
