"""The demo's bank of evidence: what students in each setting write, so a practice educator
reading the demo recognises each piece. Every title starts with words that say its kind
(`KIND_BY_PREFIX`); people who use services are named only by an initial or a role.
Used by seed_demo; not a command of its own."""

import random
from dataclasses import dataclass, field

# A title's opening words say what kind of evidence it is.
KIND_BY_PREFIX = {
    "Direct observation:": "direct_observation",
    "Process recording:": "critical_reflection",
    "Reflective log,": "critical_reflection",
    "Critical incident analysis:": "critical_reflection",
    "Supervision record,": "supervision",
    "Supervision record:": "supervision",
    "Supervision on": "supervision",  # written by the educator (supervision_record_create)
    "Case study:": "written_work",
    "Research-minded practice:": "written_work",
    "Lessons from a published review:": "case_review",
    "Meeting notes:": "other",
    "Feedback about": "service_user_feedback",  # given through a feedback link
}


def kind_for_title(title: str) -> str | None:
    return next((k for p, k in KIND_BY_PREFIX.items() if title.startswith(p)), None)


@dataclass(frozen=True)
class Setting:
    """What a student meets in one kind of setting. `{p}` stands for a person's initial."""

    law: str
    observations: tuple[tuple[str, str], ...]  # (what was observed, what happened)
    process: tuple[str, str, tuple[tuple[str, str, str], ...]]  # title, context, rows
    incident: tuple[str, str]
    research: tuple[str, str]
    case_study: tuple[str, str]
    review: tuple[str, str]
    meeting: tuple[str, str]
    feedback: tuple[str, str, str]  # the work, what went well, what could be better
    relationship: str = "service_user"


SETTINGS: dict[str, Setting] = {}

SETTINGS["Riverside Child Protection Team"] = Setting(
    law="the Children Act 1989 and Working Together to Safeguard Children",
    observations=(
        (
            "home visit to Child {p} and her mother under a child protection plan",
            "a forty-minute visit: I saw Child {p} alone in her room, then went through the "
            "safety plan with her mother, using the plan's own words",
        ),
        (
            "direct work with Child {p} using the three houses",
            "I used the three houses (worries, good things, dreams) with Child {p}, aged 7, at "
            "school; she drew her house of worries first",
        ),
        (
            "core group meeting for Child {p}",
            "I chaired part of the core group with the school, the health visitor and both "
            "parents, and took the plan through item by item",
        ),
    ),
    process=(
        "a first visit to Child {p}'s family after a school referral",
        "Child {p}'s school referred a bruise on her arm. I visited with my practice educator "
        "the same afternoon; her father answered the door.",
        (
            (
                'Father: "Nobody here has done anything wrong."',
                "I felt my chest tighten and wanted to reassure him too quickly.",
                "His anger may be fear of losing his children; I named why we were there "
                "instead of softening it.",
            ),
            (
                'Me: "I can hear this is frightening. I need to see {p} and hear from her."',
                "Relieved the words came out calm.",
                "Being clear about my authority and kind in tone at once: the balance "
                "Ferguson describes in home visits.",
            ),
            (
                'Child {p}: "I fell off the trampoline."',
                "I wanted to believe her.",
                "A single explanation is not an assessment; I noted it and asked school "
                "what they had seen.",
            ),
        ),
    ),
    incident=(
        "a father's anger at the end of a strategy discussion",
        "When the decision to hold a section 47 enquiry was shared, Mr {p} stood up, shouted "
        "and left the room. I froze and my educator took over.",
    ),
    research=(
        "what research says about disguised compliance",
        "Reading the analyses of serious case reviews by Brandon and colleagues, I learnt "
        "that apparent cooperation can hide a lack of change, and that the test is whether "
        "the child's daily life is different.",
    ),
    case_study=(
        "assessing neglect with Child {p}'s family",
        "A single-assessment case study of a family of four living in poor housing, with the "
        "Graded Care Profile used alongside the parents' own account of a typical day.",
    ),
    review=(
        "the national review into the deaths of two children in 2020",
        "The Child Safeguarding Practice Review Panel found that professionals did not always "
        "listen to family members who raised concerns. I now record who has told us what, "
        "and check whether we have followed it up.",
    ),
    meeting=(
        "initial child protection conference for Child {p}",
        "Agencies shared their reports; the chair asked the parents to speak first, which "
        "changed the tone of the meeting.",
    ),
    feedback=(
        "the visits about the safety plan",
        "she talked to me properly and not like I was a bad mum. she explained the words.",
        "more notice before visits please",
    ),
    relationship="carer",
)

SETTINGS["Eastgate Family Support Service"] = Setting(
    law="the Children Act 1989 (section 17) and the local early help strategy",
    observations=(
        (
            "early help assessment visit with Ms {p} and her two children",
            "I completed the family's early help assessment with Ms {p} at her kitchen table, "
            "using a strengths and needs chart she filled in herself",
        ),
        (
            "parenting group session on routines",
            "I co-facilitated the fourth session of an eight-week group on bedtime routines "
            "for six parents",
        ),
        (
            "team around the family meeting for Child {p}",
            "I presented the family plan at school with the family, the school nurse and the "
            "housing officer",
        ),
    ),
    process=(
        "Ms {p} talks about her son's school refusal",
        "Ms {p} asked for help because Child {p}, aged 11, had not been to school for three "
        "weeks. We met at the family hub.",
        (
            (
                "Ms {p}: \"He just won't go. I've tried everything.\"",
                "I felt her exhaustion and wanted to fix it.",
                "I reflected her words back instead of offering ideas she had already tried.",
            ),
            (
                'Me: "What happens on a morning when he does go?"',
                "Unsure whether this would sound naive.",
                "A solution-focused exception question: it found a morning routine that "
                "worked twice last month.",
            ),
        ),
    ),
    incident=(
        "a family's plan closed before they were ready",
        "The family plan for Ms {p} was closed at twelve weeks under the service's guidance, "
        "but she told me she felt dropped.",
    ),
    research=(
        "evidence on parenting programmes",
        "I compared what the Early Intervention Foundation's reviews say about group "
        "parenting programmes with who actually attends ours, and found fathers rarely do.",
    ),
    case_study=(
        "a family's early help plan from referral to closure",
        "A case study of twelve weeks of early help with a family facing debt and school "
        "refusal, told through the family's own goals.",
    ),
    review=(
        "a local child safeguarding practice review on neglect",
        "The review found help offered early but not sustained. I now plan closure with "
        "families and name who they can go back to.",
    ),
    meeting=(
        "team around the family review for Child {p}",
        "School attendance had risen to four days a week; the family asked to keep the plan "
        "open for another month.",
    ),
    feedback=(
        "the parenting group",
        "she was friendly and made it easy to talk. i didnt feel judged.",
        "the group was a bit early for me with the school run",
    ),
    relationship="carer",
)

SETTINGS["Eastgate Fostering Service"] = Setting(
    law="the Fostering Services Regulations 2011 and the national minimum standards",
    observations=(
        (
            "supervisory visit to foster carers Mr and Mrs {p}",
            "I led a supervisory visit with two foster carers, going through the daily log "
            "and the young person's placement plan",
        ),
        (
            "Form F assessment session with an applicant couple",
            "I led the session on the applicants' own childhoods and how they would manage "
            "contact with birth families",
        ),
        (
            "life story work with Child {p}",
            "I used a memory box and photographs with Child {p}, aged 9, on how she came into care",
        ),
    ),
    process=(
        "a foster carer who wants the placement to end",
        "Mrs {p}, a foster carer of six years, rang to say she could not go on caring for a "
        "teenager after a week of missing-from-home episodes.",
        (
            (
                "Mrs {p}: \"I'm not a bad carer, I just can't do this any more.\"",
                "I felt the pull to persuade her to keep going.",
                "She needed to be heard before anything else; I asked what the week had "
                "been like for her.",
            ),
            (
                'Me: "What would need to change for you to feel able to carry on?"',
                "Worried this sounded like pressure.",
                "It opened a conversation about respite and support that she had not "
                "known she could ask for.",
            ),
        ),
    ),
    incident=(
        "an allegation made against foster carers",
        "A young person told school that a carer had grabbed her arm. I had visited the "
        "household the day before and had seen nothing of concern.",
    ),
    research=(
        "placement stability and what predicts it",
        "I read research on placement stability and found that carers' support and "
        "training were stronger predictors than the child's behaviour alone.",
    ),
    case_study=(
        "assessing a connected person as a kinship carer",
        "A case study of a viability assessment of a grandmother, weighing her age and "
        "health against her bond with the child and her wish to care.",
    ),
    review=(
        "a review of a foster placement breakdown",
        "The review showed that small signs of carer strain were recorded but not acted on. "
        "I now ask carers directly how they are coping, at every visit.",
    ),
    meeting=(
        "fostering panel for a carer's annual review",
        "The panel asked how the carers support the young person's contact; I had prepared "
        "a short note with the supervising social worker.",
    ),
    feedback=(
        "your visits to our home",
        "she listened to us and to the young person. she was honest about what she could "
        "and could not do.",
        "",
    ),
    relationship="carer",
)

SETTINGS["Northbridge Youth Justice Service"] = Setting(
    law="the Crime and Disorder Act 1998 and the Youth Justice Board's Child First principle",
    observations=(
        (
            "AssetPlus interview with young person {p}",
            "I completed part of the AssetPlus assessment with a 15-year-old, starting from "
            "his interests rather than the offence",
        ),
        (
            "referral order panel with young person {p}",
            "I presented the report to the community panel and supported the young person "
            "to speak for himself",
        ),
        (
            "victim awareness session with young person {p}",
            "I led a one-to-one victim awareness session using a short film and a letter exercise",
        ),
    ),
    process=(
        "a first meeting with young person {p} after his arrest",
        "Young person {p}, aged 14, was referred after an arrest for a street robbery. We "
        "met at the youth justice office with his mother.",
        (
            (
                "YP {p}: \"I don't need to talk to you, I've got a solicitor.\"",
                "I felt dismissed and a bit defensive.",
                "He was separating me from the police; I explained my role and what I am not.",
            ),
            (
                'Me: "What do you want people to know about you that isn\'t in that report?"',
                "Hopeful, but unsure he would answer.",
                "Child First: seeing the child before the offence. He talked about football "
                "for ten minutes.",
            ),
        ),
    ),
    incident=(
        "a young person's disclosure of criminal exploitation",
        "Halfway through a session, young person {p} said he had been made to carry drugs "
        "to pay off a debt. I did not know whether to stop the session.",
    ),
    research=(
        "what works in desistance",
        "Reading desistance research, I learnt that identity and relationships matter more "
        "than programmes; I changed my plans to build on what the young people value.",
    ),
    case_study=(
        "a referral order from panel to completion",
        "A case study of a nine-month referral order, the contract the young person wrote "
        "with the panel, and how his school attendance changed.",
    ),
    review=(
        "a serious incident review of a child criminally exploited",
        "The review found the child treated as an offender rather than a victim. I now ask "
        "about exploitation at every assessment and use the National Referral Mechanism.",
    ),
    meeting=(
        "multi-agency child exploitation meeting for young person {p}",
        "Police, school and youth justice shared information; we agreed a disruption plan "
        "and a trusted adult at school.",
    ),
    feedback=(
        "the sessions at the youth justice office",
        "she didnt talk to me like i was a criminal. she was on time every week.",
        "make the sessions after school not in lessons",
    ),
)

SETTINGS["Harbour Lane Community Mental Health Team"] = Setting(
    law="the Mental Health Act 1983, the Care Act 2014 and the Mental Capacity Act 2005",
    observations=(
        (
            "care coordination visit with Mr {p}",
            "I reviewed Mr {p}'s care and support plan at his flat, using his own recovery "
            "goals as the agenda",
        ),
        (
            "crisis plan review with Ms {p}",
            "I went through Ms {p}'s crisis plan with her and her sister, checking who she "
            "wants contacted and when",
        ),
        (
            "Care Programme Approach review for Mr {p}",
            "I presented the social care part of the review with the psychiatrist, the "
            "community nurse and Mr {p}",
        ),
    ),
    process=(
        "Ms {p} talks about hearing voices",
        "Ms {p}, who lives alone, asked for an early visit because the voices had got "
        "louder since her benefits were stopped.",
        (
            (
                'Ms {p}: "They tell me I\'ll lose the flat."',
                "I felt anxious for her and unsure what to ask.",
                "I asked what the voices say and how she copes, rather than avoiding it.",
            ),
            (
                'Me: "Shall we ring the benefits office together now?"',
                "Relief at something practical to offer.",
                "The stressor was real; acting on it was part of her crisis plan, not a "
                "distraction from it.",
            ),
        ),
    ),
    incident=(
        "a man who missed three appointments",
        "Mr {p} did not answer the door for the third time. My first thought was to close "
        "the referral; my educator asked what else could explain it.",
    ),
    research=(
        "the recovery model in community mental health",
        "I read Anthony's account of recovery and compared it with how our care plans are "
        "written; most goals were the team's, not the person's.",
    ),
    case_study=(
        "supporting Mr {p} to keep his tenancy",
        "A case study of eight weeks' work with a man at risk of eviction, joining housing, "
        "benefits and his relapse-prevention plan.",
    ),
    review=(
        "a published mental health homicide review",
        "The review found that the family's warnings were not shared across services. I "
        "now ask families what they are worried about and record it plainly.",
    ),
    meeting=(
        "team formulation meeting for Ms {p}",
        "The psychologist led a formulation; I brought Ms {p}'s own account of what helps.",
    ),
    feedback=(
        "our meetings about the crisis plan",
        "she listened and didnt rush. she wrote it the way i said it.",
        "sometimes she used words i didnt know",
    ),
)

SETTINGS["St Anne's Hospital Discharge Team"] = Setting(
    law="the Care Act 2014, the Mental Capacity Act 2005 and the hospital discharge guidance",
    observations=(
        (
            "ward-based assessment with Mr {p} before discharge",
            "I assessed Mr {p}'s care needs at his bedside with the ward occupational "
            "therapist, and asked him what home looks like",
        ),
        (
            "best interests meeting for Mrs {p}",
            "I contributed the social care view to a best interests meeting about where Mrs "
            "{p} would live after discharge",
        ),
        (
            "family meeting on the ward about Mrs {p}'s discharge",
            "I led a meeting with Mrs {p}'s son and daughter about the options and their "
            "different views",
        ),
    ),
    process=(
        "Mr {p} wants to go home against advice",
        "Mr {p}, aged 84, had fallen twice. The ward team wanted a care home; he wanted to "
        "go home to his cat.",
        (
            (
                "Mr {p}: \"I'm going home. I've lived there fifty years.\"",
                "I admired him and was afraid for him.",
                "He has capacity for this decision; my job was to make home as safe as it can be.",
            ),
            (
                'Me: "What would help you feel safe at night?"',
                "Calmer once I focused on his plan, not ours.",
                "Positive risk-taking: a pendant alarm and evening visits agreed with him.",
            ),
        ),
    ),
    incident=(
        "a discharge that went ahead without a care package",
        "Mrs {p} was discharged on a Friday evening before the care agency had confirmed. "
        "Her daughter rang me on Monday, furious.",
    ),
    research=(
        "delayed discharge and what older people say about it",
        "I read research on older people's experience of discharge and found the speed "
        "valued by services is often experienced as being rushed.",
    ),
    case_study=(
        "a capacity assessment for Mrs {p}'s discharge",
        "A case study of a two-stage capacity assessment about where to live, the support I "
        "gave her to decide, and what I recorded.",
    ),
    review=(
        "a safeguarding adults review about an unsafe discharge",
        "The review found no one checked that the care at home had started. I now ring the "
        "person on the first evening home.",
    ),
    meeting=(
        "daily discharge board round on the ward",
        "Each patient's discharge plan was reviewed in two minutes; I learnt how to give a "
        "social care update that short.",
    ),
    feedback=(
        "planning Dad's discharge",
        "she kept us up to date and phoned when she said. she asked Dad what he wanted.",
        "the letters were hard to read",
    ),
    relationship="carer",
)

SETTINGS["Millbrook Learning Disability Service"] = Setting(
    law="the Care Act 2014, the Mental Capacity Act 2005 and the Equality Act 2010",
    observations=(
        (
            "person-centred review with Mr {p} at the day service",
            "I supported Mr {p} to lead his own review using pictures and his communication "
            "passport",
        ),
        (
            "easy-read support plan made with Ms {p}",
            "I worked with Ms {p} to make her support plan in easy read, with photographs "
            "she chose",
        ),
        (
            "travel training session with Mr {p}",
            "I accompanied Mr {p} on his bus route to college and talked through what to do "
            "if the bus is late",
        ),
    ),
    process=(
        "Ms {p} chooses her own activities",
        "Ms {p}, who uses Makaton and some words, had been going to the art group for three "
        "years. Staff thought she loved it.",
        (
            (
                'Ms {p} (Makaton): "Art - no. Garden."',
                "Surprised, and unsure if I had understood.",
                "I checked with picture cards; she chose the garden twice.",
            ),
            (
                'Me: "Shall we tell your key worker together?"',
                "Pleased but worried about upsetting staff.",
                "Her choice, not the routine, should shape the plan; I wrote it in her words.",
            ),
        ),
    ),
    incident=(
        "a restrictive practice I noticed at lunch",
        "At lunch, a man's pudding was held back until he finished his main course. Staff "
        "said it was in his plan; it was not.",
    ),
    research=(
        "the social model of disability in day services",
        "Reading Oliver's social model, I looked at the barriers in our building and found "
        "the signs and timetable were only in written English.",
    ),
    case_study=(
        "supporting Mr {p} to move into supported living",
        "A case study of a move from the family home, with Mr {p}, his parents and the "
        "provider, over three months.",
    ),
    review=(
        "the LeDeR programme's annual report",
        "The learning from lives and deaths reviews shows people with a learning disability "
        "die younger from avoidable causes. I now check annual health checks in reviews.",
    ),
    meeting=(
        "circle of support meeting for Mr {p}",
        "Mr {p}'s family, friends and staff met at his favourite café; he chose who spoke first.",
    ),
    feedback=(
        "your review at Millbrook",
        "she was kind. she asked me. i liked the pictures.",
        "",
    ),
)

SETTINGS["Northbridge Adults' Community Team"] = Setting(
    law="the Care Act 2014 and the Mental Capacity Act 2005",
    observations=(
        (
            "carer's assessment with Mrs {p} at home",
            "I led a carer's assessment with Mrs {p}, who cares for her husband, starting "
            "from what a good week looks like for her",
        ),
        (
            "section 42 enquiry visit with Mr {p}",
            "I met Mr {p} alone to ask what he wanted to happen about money taken from his account",
        ),
        (
            "review of Mr {p}'s care and support plan",
            "I chaired a six-week review with Mr {p}, his wife and the care agency",
        ),
    ),
    process=(
        "Mr {p} refuses a care package",
        "Mr {p}, aged 79, lives alone after a stroke. His son asked us to arrange carers; "
        "Mr {p} said no.",
        (
            (
                'Mr {p}: "I don\'t want strangers in my house."',
                "I understood him and felt the son's worry too.",
                "Wellbeing under the Care Act includes control over daily life; I asked "
                "what would make help feel less like strangers.",
            ),
            (
                'Me: "What if the same two people came, at times you choose?"',
                "Hopeful.",
                "Small choices can make support acceptable; he agreed to a trial.",
            ),
        ),
    ),
    incident=(
        "a safeguarding concern raised by a neighbour",
        "A neighbour rang about Mrs {p}'s bruises. I wanted to act at once; my educator "
        "asked first what Mrs {p} would want.",
    ),
    research=(
        "making safeguarding personal",
        "I read the guidance on making safeguarding personal and audited five of the team's "
        "enquiries for whether the person's desired outcome was recorded.",
    ),
    case_study=(
        "a Care Act assessment with Mr {p}",
        "A case study of an assessment of need with a man recently bereaved, and the "
        "strengths-based conversation that shaped it.",
    ),
    review=(
        "a safeguarding adults review on self-neglect",
        "The review found each agency held part of the picture. I now ask who else is "
        "involved and make contact myself.",
    ),
    meeting=(
        "multi-agency risk meeting about Mr {p}'s self-neglect",
        "The GP, the housing officer and the fire service agreed a plan; Mr {p}'s own view "
        "was read out first.",
    ),
    feedback=(
        "the assessment at home",
        "she didnt rush me and wrote it down properly. she came back when she said.",
        "tell us more about what happens next",
    ),
)

SETTINGS["Westfield Recovery Service"] = Setting(
    law="the Care Act 2014 and the Misuse of Drugs Act 1971",
    observations=(
        (
            "recovery planning session with Mr {p}",
            "I reviewed Mr {p}'s recovery plan with him, using a recovery star he had "
            "filled in beforehand",
        ),
        (
            "group work session on relapse prevention",
            "I co-facilitated a group of seven on high-risk situations and coping plans",
        ),
        (
            "harm reduction conversation with Ms {p}",
            "I talked with Ms {p} about safer use and naloxone at the drop-in",
        ),
    ),
    process=(
        "Mr {p} after a relapse",
        "Mr {p} came in after three months abstinent to say he had used over the weekend. "
        "He expected to be discharged.",
        (
            (
                'Mr {p}: "I\'ve let everyone down again."',
                "I felt sad and wanted to rescue him.",
                "Relapse is part of recovery for many; shame keeps people away.",
            ),
            (
                'Me: "What did the three months teach you that you still have?"',
                "Unsure if it was too soon.",
                "It moved him from failure to what worked; he named his AA sponsor.",
            ),
        ),
    ),
    incident=(
        "a client who arrived intoxicated for his appointment",
        "Mr {p} arrived intoxicated and angry. I had to decide whether to see him.",
    ),
    research=(
        "motivational interviewing in practice",
        "I read Miller and Rollnick and recorded my own sessions' reflections against the "
        "OARS skills; I ask too many closed questions.",
    ),
    case_study=(
        "working with Ms {p}, a mother in recovery",
        "A case study of joint work with children's services, balancing Ms {p}'s recovery "
        "with her children's needs.",
    ),
    review=(
        "a drug-related death review",
        "The review found the person's discharge from a service was not shared with his GP. "
        "I now check that every closure letter goes to the GP.",
    ),
    meeting=(
        "joint meeting with children's services about Ms {p}",
        "We agreed what recovery would look like for the children's social worker, in "
        "measurable steps.",
    ),
    feedback=(
        "our recovery sessions",
        "she never judged me. even after i used she was the same.",
        "more sessions in the evening",
    ),
)

SETTINGS["Oakwood Children's Home"] = Setting(
    law="the Children's Homes (England) Regulations 2015",
    observations=(
        (
            "key work session with young person {p}",
            "I led a key work session on independence skills, cooking a meal together",
        ),
        (
            "return home interview with young person {p}",
            "I met young person {p} after she had been missing overnight and asked where she "
            "had been and who with",
        ),
        (
            "house meeting with the young people",
            "I chaired the weekly house meeting, where the young people chose the menu and "
            "raised a complaint about the Wi-Fi",
        ),
    ),
    process=(
        "young person {p} after a restraint",
        "Young person {p}, aged 15, had been physically held by staff the night before. I "
        "joined the debrief the next morning.",
        (
            (
                'YP {p}: "You lot always side with each other."',
                "Defensive of the staff I work with.",
                "Her view matters as much as theirs; I asked her to tell me her version.",
            ),
            (
                'Me: "What could staff have done before it got to that?"',
                "Worried this undermined colleagues.",
                "Trauma-informed practice asks that question; she named two triggers.",
            ),
        ),
    ),
    incident=(
        "a young person's missing episode",
        "Young person {p} did not return from school. I rang the police at the agreed time "
        "and then doubted I had done the right thing.",
    ),
    research=(
        "trauma-informed care in residential homes",
        "I read about trauma-informed care and compared the home's consequences policy with "
        "its principles; two rules punished fear responses.",
    ),
    case_study=(
        "preparing young person {p} to leave care",
        "A case study of a pathway plan with a 17-year-old, her personal adviser and the "
        "home's staff.",
    ),
    review=(
        "a review of child sexual exploitation in a town's children's homes",
        "The review found warning signs treated as bad behaviour. I now record missing "
        "episodes as safeguarding, not absconding.",
    ),
    meeting=(
        "placement planning meeting for young person {p}",
        "The young person attended for the first time and asked for more contact with her brother.",
    ),
    feedback=(
        "our key work sessions",
        "shes alright. she actually listens and she doesnt chat rubbish.",
        "stay longer",
    ),
)

SETTINGS["Canal Side Community Hub"] = Setting(
    law="the Care Act 2014 (prevention and wellbeing) and the Equality Act 2010",
    observations=(
        (
            "drop-in advice session at the hub",
            "I ran the Tuesday drop-in, helping three people with benefit forms and one with "
            "a housing letter",
        ),
        (
            "community consultation on the hub's opening hours",
            "I facilitated a meeting of twelve residents about when the hub should open",
        ),
        (
            "one-to-one with Ms {p} about food bank support",
            "I met Ms {p} about food bank vouchers and what had led to her needing them",
        ),
    ),
    process=(
        "a resident's anger about the council",
        "Mr {p} came to the hub to complain that nobody answers the council's phone.",
        (
            (
                'Mr {p}: "You\'re all the same. Nobody listens."',
                "I felt blamed for something I could not control.",
                "His anger was about real barriers; I let him finish.",
            ),
            (
                'Me: "Let\'s ring them together, now."',
                "Uncertain whether it would work.",
                "Advocacy in action: the call got his repair booked.",
            ),
        ),
    ),
    incident=(
        "a disagreement at a community meeting",
        "Two residents' groups argued about who the hub was for. I had to decide whether to "
        "stop the meeting.",
    ),
    research=(
        "asset-based community development",
        "I read about asset-based community development and mapped what residents already "
        "offer each other on our estate.",
    ),
    case_study=(
        "setting up a residents' lunch club",
        "A case study of a lunch club started by two residents, which I supported from "
        "idea to first meal.",
    ),
    review=(
        "a safeguarding adults review about an isolated man",
        "The review found he was known to many services but belonged to none. I now ask "
        "people at the hub who they see in a week.",
    ),
    meeting=(
        "residents' association meeting",
        "The association voted to run a warm space in winter; I noted what the hub would provide.",
    ),
    feedback=(
        "the help with my forms",
        "she explained everything and was patient with me.",
        "",
    ),
)

# The Lakeshore programme's field placements, in its own words.
SETTINGS["Lakeshore County Child Welfare"] = Setting(
    law="the Adoption and Safe Families Act and the state's child abuse reporting law",
    observations=(
        (
            "home visit with the family of Child {p}",
            "I completed a safety assessment with the family at home, with my field "
            "instructor present",
        ),
        (
            "family team meeting for Child {p}",
            "I facilitated a family team meeting with relatives and the school counselor",
        ),
        (
            "supervised visitation for Child {p}",
            "I supervised a parent visit and wrote the visit note against the case plan",
        ),
    ),
    process=(
        "a mother hears her case plan",
        "Ms {p} met me at the agency to go through her case plan for the first time.",
        (
            (
                'Ms {p}: "So you decide when I get my kids back?"',
                "I felt the weight of my role.",
                "I explained the court's role and hers, honestly.",
            ),
            (
                'Me: "Which of these goals feels most possible first?"',
                "Hopeful.",
                "Starting with her choice built some engagement.",
            ),
        ),
    ),
    incident=(
        "a report that came in at the end of a shift",
        "A hotline report came in at five o'clock about Child {p}. I had to decide with my "
        "supervisor whether it could wait.",
    ),
    research=(
        "racial disproportionality in child welfare",
        "I read research on disproportionality and looked at our unit's referrals by race "
        "over a quarter.",
    ),
    case_study=(
        "a kinship placement for Child {p}",
        "A case study of placing a child with her aunt, from the home study to the first "
        "court review.",
    ),
    review=(
        "a state child fatality review",
        "The review found caseworkers did not see all the children in the home. I now "
        "check every child listed is seen.",
    ),
    meeting=(
        "permanency planning meeting for Child {p}",
        "The team agreed a concurrent plan and dates for the next court hearing.",
    ),
    feedback=(
        "our meetings about the case plan",
        "she was straight with me and she was respectful.",
        "call back sooner",
    ),
    relationship="carer",
)

SETTINGS["Harbor Point Behavioral Health"] = Setting(
    law="HIPAA and the state's civil commitment statute",
    observations=(
        (
            "intake assessment with Mr {p}",
            "I completed a biopsychosocial intake with Mr {p}, with my field instructor observing",
        ),
        (
            "group session on coping skills",
            "I co-led a DBT skills group on distress tolerance",
        ),
        (
            "safety planning with Ms {p}",
            "I completed a Stanley-Brown safety plan with Ms {p} after a crisis visit",
        ),
    ),
    process=(
        "Ms {p} talks about her depression",
        "Ms {p} came for her third session after missing two.",
        (
            (
                'Ms {p}: "I almost didn\'t come."',
                "Glad she came and worried about why.",
                "I thanked her and asked what nearly stopped her.",
            ),
            (
                'Me: "What made today possible?"',
                "Curious.",
                "It found a strength: her daughter had driven her.",
            ),
        ),
    ),
    incident=(
        "a client who disclosed suicidal thoughts",
        "Mr {p} told me at the end of a session that he had thought about ending his life. I "
        "had to keep him talking and find my field instructor.",
    ),
    research=(
        "evidence-based practice for depression",
        "I compared the evidence for behavioral activation with what our clinic offers.",
    ),
    case_study=(
        "co-occurring disorders and Mr {p}",
        "A case study of integrated treatment for a man with depression and alcohol use.",
    ),
    review=(
        "a published review of a suicide after discharge",
        "The review found the first week after discharge is the riskiest. I now book a "
        "follow-up call within 72 hours.",
    ),
    meeting=(
        "treatment team meeting about Mr {p}",
        "Psychiatry, nursing and social work agreed a discharge plan.",
    ),
    feedback=(
        "our counseling sessions",
        "she listened and she remembered what i said last time.",
        "",
    ),
)

SETTINGS["Lakeshore Unified School District"] = Setting(
    law="the Individuals with Disabilities Education Act and McKinney-Vento",
    observations=(
        (
            "counseling session with student {p}",
            "I met a seventh grader about attendance and friendships",
        ),
        (
            "IEP meeting for student {p}",
            "I presented the social history at an IEP meeting with the family",
        ),
        (
            "social skills group for fourth graders",
            "I led a group of five students on recognizing feelings",
        ),
    ),
    process=(
        "student {p} and the lunchroom",
        "Student {p}, in eighth grade, had stopped eating in the lunchroom.",
        (
            (
                'Student {p}: "It\'s fine. I just like the library."',
                "I sensed it was not fine.",
                "I left space rather than pushing.",
            ),
            (
                'Me: "What would make lunch easier?"',
                "Hopeful.",
                "She named one friend; we planned a lunch bunch.",
            ),
        ),
    ),
    incident=(
        "a student's disclosure at school",
        "Student {p} told me about violence at home during a group break.",
    ),
    research=(
        "chronic absenteeism interventions",
        "I reviewed evidence on attendance interventions and mentoring.",
    ),
    case_study=(
        "supporting a student experiencing homelessness",
        "A case study of McKinney-Vento rights for a family living in a motel.",
    ),
    review=(
        "a district review after a student's death",
        "The review found warning signs were spread across staff. I now share concerns "
        "through the student support team.",
    ),
    meeting=(
        "student support team meeting for student {p}",
        "Teachers, the nurse and I agreed an attendance plan.",
    ),
    feedback=(
        "our meetings at school",
        "she helped me a lot and she was nice.",
        "",
    ),
)

SETTINGS["Elm Street Senior Services"] = Setting(
    law="the Older Americans Act and the state's adult protective services law",
    observations=(
        (
            "in-home assessment with Mrs {p}",
            "I completed a needs assessment with Mrs {p} at home",
        ),
        (
            "caregiver support group session",
            "I co-facilitated a group for caregivers of people living with dementia",
        ),
        (
            "benefits check-up with Mr {p}",
            "I helped Mr {p} apply for energy assistance and SNAP",
        ),
    ),
    process=(
        "Mrs {p} talks about giving up driving",
        "Mrs {p}, 86, was told by her doctor to stop driving.",
        (
            (
                'Mrs {p}: "Without my car I\'m a prisoner."',
                "I felt her loss.",
                "I acknowledged the loss before talking about options.",
            ),
            (
                'Me: "Where do you most need to get to?"',
                "Practical again.",
                "Her church and her sister's: we planned rides for both.",
            ),
        ),
    ),
    incident=(
        "a suspected financial exploitation",
        "Mr {p}'s nephew had taken over his bank card. Mr {p} did not want to report it.",
    ),
    research=(
        "social isolation in older adults",
        "I reviewed research on isolation and loneliness and our telephone reassurance program.",
    ),
    case_study=(
        "aging in place with Mrs {p}",
        "A case study of home modifications and in-home support for a woman with arthritis.",
    ),
    review=(
        "an elder abuse fatality review",
        "The review found isolation hid neglect. I now ask who visits each week.",
    ),
    meeting=(
        "care conference for Mrs {p}",
        "Mrs {p}, her daughter and the home care agency agreed a schedule.",
    ),
    feedback=(
        "your visits",
        "she was patient with me and explained things twice.",
        "",
    ),
)

# Reflective logs and supervision records: themes any placement meets, drawn without
# repeating within a placement. (title, what the student wrote)
LOG_THEMES = [
    (
        "the team's unwritten rules",
        "The duty rota, the shared drive and the acronyms were the easy part. Harder was "
        "learning when it is all right to interrupt a colleague, and that asking is expected "
        "of a student. I noticed I apologised before every question.",
    ),
    (
        "writing case records people could read",
        "My educator asked me to imagine the person reading my record at eighteen or in "
        "court. I rewrote two records: shorter sentences, facts apart from opinion, and the "
        "person's own words in quotation marks.",
    ),
    (
        "managing my time with a growing caseload",
        "By week six I had five pieces of work and no plan. I started blocking time for "
        "recording straight after each visit, and told my educator honestly where I was "
        "behind.",
    ),
    (
        "power and the authority of my role",
        "A parent said I could not understand because I do not have children. She was "
        "partly right. I thought about what my role gives me that she does not have, and "
        "how to be open about it.",
    ),
    (
        "bringing my own experience to the work",
        "A conversation about loss brought back my own bereavement. I took it to "
        "supervision rather than pushing it away, and we agreed how I would look after "
        "myself on similar visits.",
    ),
    (
        "working with an interpreter",
        "I briefed the interpreter before the visit and spoke to the person, not to the "
        "interpreter. Afterwards I checked whether any words had no direct translation.",
    ),
    (
        "feedback that changed how I analyse",
        "My educator's feedback was that my direct work is strong but my analysis stays "
        "descriptive. I have started each reflection with a question rather than a summary.",
    ),
    (
        "the law I reach for and the law I avoid",
        "I know the duties I use every day well. I realised I avoid the ones I find "
        "complex, so I set myself one statutory duty a week to read and discuss.",
    ),
]

SUPERVISION_THEMES = [
    (
        "caseload and learning goals",
        "Caseload; learning agreement goals; reading.",
        "We went through each piece of work and matched it to the learning agreement.",
        "Take on one new assessment; read the team's recording policy; next supervision in "
        "two weeks.",
    ),
    (
        "risk, and a decision I disagreed with",
        "A risk decision on duty; how I raise disagreement.",
        "I said I had disagreed with a duty decision but not said so at the time. We talked "
        "about escalation and how to disagree respectfully.",
        "Read the escalation policy; practise voicing a view in the next team meeting.",
    ),
    (
        "preparing for the midpoint review",
        "Evidence so far; gaps; self-assessment.",
        "We looked at the coverage page together. Leadership and research-minded practice "
        "have least evidence.",
        "Plan one piece of research-minded practice; lead one meeting before the midpoint.",
    ),
    (
        "wellbeing after a difficult visit",
        "The visit; how I am; support available.",
        "I talked about how a distressing visit stayed with me over the weekend.",
        "Use the team's debrief after difficult visits; check in on Friday.",
    ),
    (
        "anti-oppressive practice in assessments",
        "Language in assessments; assumptions about families.",
        "We read one of my assessments together and found two phrases that judged rather "
        "than described.",
        "Rewrite the two sections; bring a reflection on language to the next supervision.",
    ),
    (
        "planning the next block of work",
        "Work ahead; transfers; the next review.",
        "We listed each piece of work, what it needs next and who it will go to when I leave.",
        "Keep transfer summaries up to date; tell each person when I will be leaving; start "
        "my self-assessment before the next review.",
    ),
]


@dataclass
class Item:
    """One piece of evidence as the student would write it."""

    kind: str
    title: str
    reflection: str
    notes: dict[str, str]  # domain code (or '*' for any) → why it shows it
    details: dict[str, str] = field(default_factory=dict)
    file: str = ""  # "pdf", "docx" or "png": a file the student attached
    file_name: str = ""
    file_lines: tuple[str, ...] = ()


# How students frame the same topic differently, so two students in one agency do not
# hand in identically titled work.
RESEARCH_FRAMES = [
    "{}",
    "{}, a briefing for the team",
    "{} and our own caseload",
    "{}: what fits here",
]
REVIEW_FRAMES = [
    "{}",
    "{}, and what changes for me",
    "{}: lessons for my recording",
    "{} and our team",
]
CASE_FRAMES = ["{}", "{}, start to finish", "{}: assessment and plan"]
LOG_FRAMES = [
    "what I am learning about {}",
    "catching up on {}",
    "where {} fits in my work",
    "{}, and what I still need to show",
]


def supervision_item(theme: tuple[str, str, str, str], **file) -> Item:
    """A supervision record from one of SUPERVISION_THEMES: what it was about, its agenda,
    notes and agreed actions."""
    what, agenda, notes, actions = theme
    return Item(
        "supervision",
        f"Supervision record, {{date}}: {what}",
        "My own notes of the supervision, which my educator confirms.",
        {
            "PROF": "I use supervision to plan and reflect on my learning.",
            "CONTEXTS": "We discussed the organisation's policies and procedures.",
            "C1": "Uses supervision to guide professional behaviour.",
        },
        details={"agenda": agenda, "notes": notes, "agreed_actions": actions},
        **file,
    )


def _person_letters(rng: random.Random) -> list[str]:
    letters = list("ABCDEFGHJKLMNPRSTW")
    rng.shuffle(letters)
    return letters


def _process_table(rows) -> str:
    lines = ["| What was said | What I felt and thought | My analysis |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def bank_for(setting_name: str, rng: random.Random) -> list[Item]:
    """Every item a student in this setting might write, with this placement's initials."""
    s = SETTINGS[setting_name]
    letters = iter(_person_letters(rng))

    def fill(text: str, letter: str) -> str:
        return text.replace("{p}", letter)

    items = []
    title, context, rows = s.process
    p = next(letters)
    rows = [tuple(fill(c, p) for c in row) for row in rows]
    items.append(
        Item(
            "critical_reflection",
            f"Process recording: {fill(title, p)}",
            f"**Context.** {fill(context, p)}\n\n{_process_table(rows)}\n\n"
            "**Looking back.** Writing it out showed me where I led and where I followed. "
            "The full recording is attached; my educator added comments in supervision.",
            {
                "SKILLS": "The recording shows how I used questions and reflection in the moment.",
                "REFLECTION": "The analysis column questions my own reactions and assumptions.",
                "C6": "Shows how I engaged the client and adjusted my approach.",
            },
            file="docx",
            file_name="process-recording.docx",
            file_lines=tuple(" | ".join(r) for r in rows),
        )
    )
    p = next(letters)
    what, happened = s.incident
    items.append(
        Item(
            "critical_reflection",
            f"Critical incident analysis: {fill(what, p)}",
            f"**What happened.** {fill(happened, p)}\n\n"
            "**Why it was critical.** It was the first time I had to act before I felt "
            "ready, and it tested what I believe about people's right to decide.\n\n"
            f"**Analysis.** Looking at it through {s.law}, I can see the duty was clear; my "
            "difficulty was confidence, not knowledge. I was thinking fast, in Kahneman's "
            "sense, when the situation needed slow thinking.\n\n"
            "**What I will do differently.** Pause, name what I know and do not know, and "
            "ask for help early rather than late.",
            {
                "REFLECTION": "I analyse my own response, not only the events.",
                "VALUES": "I weigh the person's rights against the duty to act.",
                "C1": "Shows ethical decision-making under pressure.",
            },
        )
    )
    what, finding = s.research
    items.append(
        Item(
            "written_work",
            f"Research-minded practice: {rng.choice(RESEARCH_FRAMES).format(what)}",
            f"{finding}\n\nI summarised what I read in a one-page briefing for the team "
            "(attached), saying what it means for how we work here and what it cannot tell "
            "us, because the studies were small or from other settings.",
            {
                "KNOWLEDGE": "I apply research to the team's practice and say its limits.",
                "LEADERSHIP": "I shared a briefing with the team.",
                "C4": "Uses research to inform practice and shares it.",
            },
            file="pdf",
            file_name="research-briefing.pdf",
            file_lines=(finding, "What this means for our practice here, and its limits."),
        )
    )
    p = next(letters)
    what, summary = s.case_study
    items.append(
        Item(
            "written_work",
            f"Case study: {rng.choice(CASE_FRAMES).format(fill(what, p))}",
            f"{fill(summary, p)}\n\nThe case study sets out the assessment, the plan, the "
            f"law that framed it ({s.law}) and what I would do differently. The ecomap I "
            "drew with the family is attached.",
            {
                "KNOWLEDGE": "I apply the law and theory that framed the work.",
                "RIGHTS": "I consider the person's rights and entitlements throughout.",
                "SKILLS": "I show assessment and planning from start to finish.",
                "C7": "A full assessment from engagement to plan.",
            },
            file="png",
            file_name="ecomap.png",
            file_lines=("Family", "School", "GP", "Friends", "Social work", "Work"),
        )
    )
    what, lesson = s.review
    items.append(
        Item(
            "case_review",
            f"Lessons from a published review: {rng.choice(REVIEW_FRAMES).format(what)}",
            f"{lesson}\n\nThe lesson I take is not about a single professional failing but "
            "about how information gets lost between people. I discussed it with my "
            "educator and we agreed one change to how I record.",
            {
                "CONTEXTS": "The review shows how organisations shape outcomes.",
                "REFLECTION": "I relate the review's findings to my own practice.",
                "C5": "Relates a policy-level review to practice.",
            },
        )
    )
    p = next(letters)
    what, notes = s.meeting
    items.append(
        Item(
            "other",
            f"Meeting notes: {fill(what, p)}",
            f"{fill(notes, p)}\n\nMy notes record who attended by role, what was decided "
            "and what I was asked to do, with my reflection on how the meeting worked.",
            {
                "CONTEXTS": "I worked within a multi-agency meeting and its procedures.",
                "DIVERSITY": "I noticed whose voice was heard and whose was not.",
                "C8": "Shows interprofessional collaboration.",
            },
        )
    )
    for what, reflection in rng.sample(LOG_THEMES, 3):
        items.append(
            Item(
                "critical_reflection",
                f"Reflective log, {{date}}: {what}",
                reflection,
                {
                    "PROF": "I take responsibility for my own learning and wellbeing.",
                    "REFLECTION": "I examine my own practice honestly.",
                    "DIVERSITY": "I think about power and difference in my work.",
                    "C1": "Shows professional self-reflection.",
                    "C3": "Reflects on power, identity and difference.",
                },
            )
        )
    for theme in rng.sample(SUPERVISION_THEMES, 2):
        agenda, notes, actions = theme[1:]
        items.append(
            supervision_item(
                theme,
                file="pdf" if not items[-1].file else "",
                file_name="supervision-notes.pdf",
                file_lines=(agenda, notes, actions),
            )
        )
    return items


def observations_for(setting_name: str, rng: random.Random) -> list[Item]:
    """The setting's three direct observations, with this placement's initials."""
    s = SETTINGS[setting_name]
    letters = _person_letters(rng)
    made = []
    for n, (what, record) in enumerate(s.observations):
        p = letters[n]
        made.append(
            Item(
                "direct_observation",
                f"Direct observation: {what.replace('{p}', p)}",
                "Before the session I agreed with my observer what I wanted feedback on. "
                "Afterwards I wrote down what went well, what I would change and what "
                "surprised me, then compared it with the feedback.\n\n"
                "What I would change: I summarised too late, so the person could not "
                "correct me while there was time.",
                {
                    "SKILLS": "Shown in the practice observed and the feedback on it.",
                    "VALUES": "I explained my role and consent at the start.",
                    "C6": "Engagement observed directly.",
                    "C8": "An intervention observed directly.",
                },
                details={
                    "planning_notes": "We agreed the purpose of the session, what I would "
                    "lead, and when my observer would step in.",
                    "observation_record": record.replace("{p}", p) + ".",
                },
            )
        )
    return made


def feedback_for(setting_name: str) -> tuple[str, dict[str, str]]:
    """(the work it is about, the answers) for one piece of service user feedback."""
    s = SETTINGS[setting_name]
    work, went_well, could_improve = s.feedback
    return work, {
        "relationship": s.relationship,
        "listened": "yes",
        "respected": "yes" if not could_improve else "mostly",
        "went_well": went_well,
        "could_improve": could_improve,
    }
