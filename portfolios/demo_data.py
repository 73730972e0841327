"""Demo evidence for the demo student's final placement: written here so the demo reads like
a real portfolio. Used by seed_demo; not a command of its own."""

# (kind, title, days after the start, status, reflection, [(domain code, note)])
MAIN_EVIDENCE = [
    (
        "direct_observation",
        "Observed home visit: carer's assessment with Mrs B",
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
        "Reflection on a safeguarding referral and consent",
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
        "Supervision: managing risk and positive risk-taking",
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
        "Lessons from a published safeguarding adults review",
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
        "Care and support plan drafted for team review",
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
        "Process recording: first meeting with a young carer",
        45,
        "draft",
        "| What was said | What I felt and thought |\n|---|---|\n"
        '| "I\'m fine, I just help Mum." | I sensed he was protecting his mum and me. |\n',
        [("DIVERSITY", "I considered how age and caring role shape what he felt able to say.")],
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

OTHER_TITLES = [
    "Reflection on a first home visit",
    "Supervision notes: caseload and learning goals",
    "Observed review meeting with a family",
    "Case review reflection: information sharing",
    "Assessment report drafted for the team",
    "Reflection on working with an interpreter",
    "Process recording: a difficult phone call",
    "Feedback from a multi-agency meeting",
]

# Structured details of the items above that have them, by title.
DETAILS = {
    "Observed home visit: carer's assessment with Mrs B": {
        "planning_notes": "We agreed I would lead, Helen would observe and only step in if "
        "Mrs B became distressed. My aim was to hear what a good week looks like for her.",
        "observation_record": "Forty-minute visit at home. I explained the purpose of the "
        "assessment, asked open questions about her caring role, and summarised what I had "
        "heard before agreeing next steps.",
    },
    "Supervision: managing risk and positive risk-taking": {
        "attendees": "Amara Osei (student), Helen Marsh (practice educator)",
        "agenda": "Caseload; the safeguarding enquiry; learning goals.",
        "notes": "Discussed how the team weighs risk against people's own choices.",
        "agreed_actions": "Shadow a best-interests meeting. Read the positive risk-taking "
        "policy. Next supervision in two weeks.",
    },
}

OTHER_SUPERVISION = {
    "attendees": "Student and practice educator",
    "agenda": "Caseload and learning goals.",
    "notes": "Reviewed progress against the learning agreement.",
    "agreed_actions": "Agreed reading and a shadowing opportunity before next supervision.",
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

# Narratives for demo judgements, by whether the grade meets the threshold. {name} is the
# student's first name, {domain} the domain's name in lower case.
NARRATIVE_MEETS = [
    "{name} shows this consistently across the evidence. In direct work {name} plans with "
    "purpose and adapts when the situation changes, and in supervision uses feedback to "
    "sharpen practice. The evidence cited shows {domain} at the level expected, drawn from "
    "more than one source.",
    "Across observations, reflections and feedback, {name} demonstrates {domain} with growing "
    "confidence. {name} explains decisions clearly, records them accurately and checks "
    "understanding with the people involved.",
]
NARRATIVE_BELOW = [
    "{name} is developing in {domain} but the evidence does not yet show it at the level "
    "expected. We have agreed specific opportunities to build it in the remaining weeks.",
]
STRENGTHS = [
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
]
RECOMMENDATION_PASS = (
    "{name} meets the capabilities expected at the end of this placement across all domains, "
    "shown holistically through observed practice, reflection and feedback."
)
SUPERVISOR_REVIEW_COMMENT = (
    "From the team's side: Amara is reliable and well organised, and colleagues ask for her "
    "on joint visits. Worth noting her confidence in MDT meetings has grown a lot."
)
MIDPOINT_SUMMARY = (
    "Halfway through, {name} is on track: strongest in direct work and reflection, with "
    "Professional Leadership the area to build before the final review."
)
STUDENT_ACK_COMMENT = (
    "I agree with the review. The suitability notes are fair; I want to build my confidence "
    "in statutory settings in my first post."
)
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
