"""The program finder's rules (bot/guidance/dialogue/finder.py), one behaviour per test.

Every Turn is built from Rasa-style events as the action server builds it; the answers come
from the real knowledge base, so a test asserts what a founder would notice: the words, the
buttons, the slots remembered.
"""

from __future__ import annotations

from bot.guidance.dialogue import finder
from bot.guidance.profile import PROFILE_SLOTS, UNKNOWN
from bot.guidance.scope import JOB_NOTE_MARK
from bot.knowledge.loader import knowledge
from tests.unit.conversation import (
    FINDER,
    asked,
    bot,
    entity,
    finder_started,
    payload_entity,
    payloads,
    said,
    slot,
    texts,
    turn,
    user,
)

PROGRAM = "restart_fund"  # a program of data/knowledge/programs.yml
ASKING_CREDIT = [finder_started(), asked("credit_state")]


def busan() -> dict:
    """부산 as the gazetteer finds it in "부산은요?" and "부산이요"."""
    return entity("region", "busan", "부산", 0, 2)


# --- aside: a message in the middle of the finder that is not an answer ------------------------


def test_aside_is_silent_when_the_message_answered_the_question_after_all() -> None:
    # "처음 들어봐요" read as a help request, but the extraction took it as the answer
    reply = finder.aside(
        turn(
            "처음 들어봐요",
            "ask_help",
            earlier=[finder_started(), asked("sincere_evaluation_passed")],
            later=[slot("sincere_evaluation_passed", UNKNOWN)],
            loop=FINDER,
        )
    )
    assert reply.silent


def test_aside_starting_over_clears_every_profile_slot() -> None:
    reply = finder.aside(turn("처음부터 다시 할게요", earlier=[*ASKING_CREDIT, slot("region", "busan")], loop=FINDER))
    assert "처음부터 다시 여쭤볼게요" in said(reply)
    assert set(PROFILE_SLOTS) <= set(reply.slots)
    assert all(value is None for value in reply.slots.values())
    assert {"requested_slot", "last_topic", "last_program"} <= set(reply.slots)


def test_aside_another_place_after_centers_gives_its_centers_without_moving_the_founder() -> None:
    reply = finder.aside(
        turn(
            "부산은요?",
            entities=[busan()],
            earlier=ASKING_CREDIT,
            slots={"last_topic": "centers:", "region": "jeju"},
            loop=FINDER,
        )
    )
    assert said(reply).startswith(f"{knowledge().regions['busan'].label} 지역에서 도움받으실 수 있는 곳이에요.")
    assert "region" not in reply.slots  # still lives in 제주
    assert reply.slots["last_topic"] == "centers:"


def test_aside_a_crying_emoji_gets_a_kind_line() -> None:
    reply = finder.aside(turn("😭", "nlu_fallback", earlier=ASKING_CREDIT, loop=FINDER))
    assert texts(reply) == ["많이 힘드시죠. 천천히 답해 주셔도 괜찮아요. 힘드시면 잠시 쉬었다 오셔도 돼요."]


def test_aside_a_prayer_emoji_gets_thanks() -> None:
    reply = finder.aside(turn("🙏", "nlu_fallback", earlier=ASKING_CREDIT, loop=FINDER))
    assert texts(reply) == ["마음 전해 주셔서 고마워요."]


def test_aside_english_hears_that_dasi_speaks_only_korean() -> None:
    reply = finder.aside(
        turn("Can you help me find a restart loan?", "nlu_fallback", earlier=ASKING_CREDIT, loop=FINDER)
    )
    assert "only Korean" in said(reply) and "한국어만 이해해요" in said(reply)
    assert "1357" in said(reply)


def test_aside_how_much_after_a_program_card_answers_for_that_program() -> None:
    reply = finder.aside(
        turn(
            "얼마 받아요?",
            "ask_program_info",
            earlier=ASKING_CREDIT,
            slots={"last_topic": "program", "last_program": PROGRAM},
            loop=FINDER,
        )
    )
    assert knowledge().programs[PROGRAM].name in said(reply)
    assert "확인된 자료가 없어서" not in said(reply)
    assert f'/ask_program_info{{"program": "{PROGRAM}"}}' in payloads(reply)


def test_aside_a_job_seeker_first_hears_what_dasi_can_do() -> None:
    reply = finder.aside(turn("일자리 알아보고 있어요", earlier=ASKING_CREDIT, loop=FINDER))
    assert JOB_NOTE_MARK in said(reply)
    assert "/ask_help" in payloads(reply)
    assert "출처:" in said(reply)


def test_aside_a_job_seeker_who_already_heard_the_note_gets_a_short_line() -> None:
    earlier = [*ASKING_CREDIT, bot(f"저는 재창업·재도전을 돕는 챗봇이라 {JOB_NOTE_MARK}.")]
    reply = finder.aside(turn("일자리 알아보고 있어요", earlier=earlier, loop=FINDER))
    assert JOB_NOTE_MARK not in said(reply)
    assert texts(reply) == ["네, 일자리를 알아보고 계신 것 잘 알고 있어요. 그 상황에 맞춰 지원을 찾아 드릴게요."]


def test_aside_asking_for_help_hears_what_dasi_does_and_what_it_is_doing_now() -> None:
    reply = finder.aside(turn("뭘 도와줄 수 있어요", "ask_help", earlier=ASKING_CREDIT, loop=FINDER))
    assert "지금은 받으실 수 있는 지원을 찾으려고 몇 가지 여쭤보는 중이에요" in said(reply)


def test_aside_asking_to_find_support_hears_that_it_is_being_found() -> None:
    reply = finder.aside(turn("지원 찾아주세요", "check_eligibility", earlier=ASKING_CREDIT, loop=FINDER))
    assert "지금 맞는 지원을 찾고 있어요" in said(reply)


def test_aside_a_question_dasi_cannot_answer_is_acknowledged() -> None:
    reply = finder.aside(
        turn("폐업하면 건강보험은 어떻게 돼요?", "ask_program_info", earlier=ASKING_CREDIT, loop=FINDER)
    )
    assert "확인된 자료가 없어서" in said(reply)
    assert "하던 질문은 이어서 여쭤볼게요" in said(reply)


def test_aside_out_of_scope_gets_the_out_of_scope_response() -> None:
    reply = finder.aside(turn("오늘 날씨 좋네요", "out_of_scope", earlier=ASKING_CREDIT, loop=FINDER))
    assert reply.messages == ({"response": "utter_out_of_scope"},)


def test_aside_a_fact_that_is_not_the_answer_is_kept_and_said_so() -> None:
    reply = finder.aside(
        turn(
            "소상공인이에요",
            entities=[entity("business_type", "small_merchant", "소상공인", 0, 3)],
            earlier=ASKING_CREDIT,
            loop=FINDER,
        )
    )
    assert texts(reply) == ["네, 말씀하신 내용은 잘 알아 두었어요."]


def test_aside_anything_else_is_asked_to_rephrase() -> None:
    reply = finder.aside(turn("음", earlier=ASKING_CREDIT, loop=FINDER))
    assert reply.messages == ({"response": "utter_form_rephrase"},)


# --- extract: the facts a message states ------------------------------------------------------


def test_extract_ignores_a_payload_value_dasi_does_not_know() -> None:
    message = '/inform{"credit_state": "<script>"}'
    assert finder.extract(turn(message, entities=[payload_entity("credit_state", "<script>")])).slots == {}


def test_extract_ignores_a_payload_region_dasi_does_not_know() -> None:
    message = '/inform{"region": "atlantis"}'
    assert finder.extract(turn(message, entities=[payload_entity("region", "atlantis")])).slots == {}


def test_extract_takes_a_known_payload_value() -> None:
    message = '/inform{"business_type": "corporation"}'
    reply = finder.extract(turn(message, entities=[payload_entity("business_type", "corporation")]))
    assert dict(reply.slots) == {"business_type": "corporation"}


def test_extract_takes_a_known_payload_region() -> None:
    reply = finder.extract(turn('/inform{"region": "busan"}', entities=[payload_entity("region", "busan")]))
    assert dict(reply.slots) == {"region": "busan"}


def test_extract_a_short_no_answers_the_arrears_question_asked() -> None:
    reply = finder.extract(turn("없어요", "deny", earlier=[asked("tax_arrears")]))
    assert dict(reply.slots) == {"tax_arrears": False}


def test_extract_a_short_no_answers_the_credit_question_asked() -> None:
    reply = finder.extract(turn("없어요", earlier=[asked("credit_state")]))
    assert dict(reply.slots) == {"credit_state": "normal"}


def test_extract_another_place_after_centers_does_not_change_the_region() -> None:
    reply = finder.extract(
        turn("부산은요?", "ask_center", entities=[busan()], slots={"last_topic": "centers:", "region": "jeju"})
    )
    assert "region" not in reply.slots


def test_extract_a_region_told_elsewhere_is_taken() -> None:
    reply = finder.extract(turn("부산이요", entities=[busan()], slots={"region": "jeju"}))
    assert reply.slots["region"] == "busan"


def test_extract_a_delinquent_question_does_not_overwrite_a_debt_procedure() -> None:
    message = "연체가 있는데 정책자금 제한 풀 수 있어요?"
    reply = finder.extract(
        turn(
            message, "ask_policy_loan_restriction", slots={"credit_state": "under_adjustment", "requested_slot": "goal"}
        )
    )
    assert "credit_state" not in reply.slots
    # without a procedure told, the same message does state the delinquency
    assert finder.extract(turn(message, "ask_policy_loan_restriction")).slots["credit_state"] == "delinquent"


def test_extract_dont_know_to_the_closure_date_is_unknown() -> None:
    reply = finder.extract(
        turn("모르겠어요", "dont_know", earlier=[asked("years_since_closure")], slots={"closed": True})
    )
    assert reply.slots["years_since_closure"] == UNKNOWN


def test_extract_returns_only_the_slots_that_changed() -> None:
    story = "부산에서 식당 하다가 폐업했어요"
    everything = finder.extract(turn(story)).slots
    assert everything["region"] == "busan" and everything["closed"] is True
    again = finder.extract(turn(story, slots={"region": "busan", "closed": True}))
    assert "region" not in again.slots and "closed" not in again.slots
    assert again.slots["business_type"] == "small_merchant"


def test_extract_keeps_a_location_the_messenger_shared() -> None:
    message = '/share_location{"latitude": 35.18, "longitude": 129.07}'
    entities = [payload_entity("latitude", 35.18), payload_entity("longitude", 129.07)]
    assert finder.extract(turn(message, "share_location", entities=entities)).slots == {
        "location": {"lat": 35.18, "lon": 129.07}
    }


# --- what_changed: said before any answer -----------------------------------------------------


def test_what_changed_says_a_kind_word_the_first_time_the_closure_is_told() -> None:
    reply = finder.what_changed(turn("식당 하다가 망했어요", later=[slot("closed", True)]))
    assert texts(reply) == [finder.EMPATHY]


def test_what_changed_says_the_kind_word_only_once() -> None:
    reply = finder.what_changed(
        turn("식당 하다가 망했어요", earlier=[bot(finder.EMPATHY)], later=[slot("closed", True)])
    )
    assert finder.EMPATHY not in texts(reply)


def test_what_changed_leaves_the_kind_word_to_a_crisis_reply() -> None:
    reply = finder.what_changed(turn("식당 하다가 망했어요", "express_crisis", later=[slot("closed", True)]))
    assert finder.EMPATHY not in texts(reply)


def test_what_changed_says_a_correction_briefly() -> None:
    reply = finder.what_changed(
        turn("아 부산이 아니라 대구예요", earlier=[slot("region", "busan")], later=[slot("region", "daegu")])
    )
    assert texts(reply) == ["지역은 대구로 고쳐 두었어요."]


def test_what_changed_another_place_after_centers_is_no_correction() -> None:
    reply = finder.what_changed(
        turn(
            "포항은요?",
            entities=[entity("region", "pohang", "포항", 0, 2)],
            earlier=[slot("region", "gyeonggi"), slot("last_topic", "centers:")],
            later=[slot("region", "pohang")],
        )
    )
    assert reply.silent


def test_what_changed_thanks_for_a_whole_story() -> None:
    later = [slot("region", "busan"), slot("business_type", "small_merchant"), slot("credit_state", "delinquent")]
    reply = finder.what_changed(turn("부산에서 식당 하다가 연체가 생겼어요", later=later))
    assert texts(reply) == ["자세히 말씀해 주셔서 고마워요. 말씀하신 상황으로 찾아볼게요."]


def test_what_changed_says_a_fact_was_heard_when_it_leaves_the_question_unanswered() -> None:
    reply = finder.what_changed(
        turn(
            "부산이요",
            earlier=[finder_started(), asked("years_since_closure")],
            later=[slot("region", "busan")],
            loop=FINDER,
        )
    )
    assert texts(reply) == ["네, 지역은 부산으로 알아 두었어요."]


def test_what_changed_says_nothing_heard_outside_the_finder() -> None:
    reply = finder.what_changed(
        turn("부산이요", earlier=[asked("years_since_closure")], later=[slot("region", "busan")])
    )
    assert reply.silent


def test_what_changed_answers_a_job_seeker_before_the_finder_asks() -> None:
    reply = finder.what_changed(turn("일자리 알아보고 있어요", later=[slot("goal", "job")]))
    assert JOB_NOTE_MARK in said(reply)
    assert "몇 가지 여쭤보고 받으실 수 있는 지원을 찾아 드릴게요" in said(reply)  # the finder follows


def test_what_changed_a_job_answer_to_the_goal_question_gets_no_note() -> None:
    reply = finder.what_changed(
        turn(
            "일자리 알아보고 있어요",
            earlier=[finder_started(), asked("goal")],
            later=[slot("goal", "job")],
            loop=FINDER,
        )
    )
    assert JOB_NOTE_MARK not in said(reply)


def test_what_changed_who_can_apply_after_a_program_card_is_answered_before_the_finder() -> None:
    reply = finder.what_changed(
        turn("누가 받을 수 있어요?", "check_eligibility", slots={"last_topic": "program", "last_program": PROGRAM})
    )
    program = knowledge().programs[PROGRAM]
    assert f"{program.name}의 지원 대상" in said(reply)
    assert "출처:" in said(reply)


# --- questions, validate, after_validation ------------------------------------------------------


def test_questions_ask_the_closure_date_only_of_a_founder_who_closed() -> None:
    assert "years_since_closure" not in finder.questions(turn("", "greet"))
    assert "years_since_closure" not in finder.questions(turn("", "greet", slots={"closed": False}))
    closed = finder.questions(turn("", "greet", slots={"closed": True}))
    assert closed[:2] == ["closed", "years_since_closure"]


def test_questions_ask_the_evaluation_only_of_a_founder_who_may_restart() -> None:
    for goal in ("restart", UNKNOWN, "undecided"):
        assert finder.questions(turn("", "greet", slots={"goal": goal}))[-1] == "sincere_evaluation_passed"
    for goal in ("job", None):
        assert "sincere_evaluation_passed" not in finder.questions(turn("", "greet", slots={"goal": goal}))


def test_questions_set_aside_a_question_after_two_unusable_answers() -> None:
    earlier = [*ASKING_CREDIT, user("음"), asked("credit_state"), user("글쎄")]
    assert "credit_state" not in finder.questions(turn("", "greet", earlier=earlier))


def test_questions_a_question_in_between_is_no_unusable_answer() -> None:
    earlier = [*ASKING_CREDIT, user("음"), asked("credit_state"), user("왜 물어봐요?", "ask_why")]
    assert "credit_state" in finder.questions(turn("", "greet", earlier=earlier))


def test_questions_a_restarted_finder_asks_again() -> None:
    earlier = [*ASKING_CREDIT, user("음"), asked("credit_state"), user("글쎄"), finder_started()]
    assert "credit_state" in finder.questions(turn("", "greet", earlier=earlier))


def test_validate_refuses_a_closure_in_the_future() -> None:
    reply = finder.validate("years_since_closure", -1)
    assert texts(reply) == ["그 날짜는 아직 오지 않았어요. 이미 폐업하신 날짜를 말씀해 주시겠어요?"]
    assert dict(reply.slots) == {"years_since_closure": None}


def test_validate_refuses_a_closure_more_than_sixty_years_ago() -> None:
    reply = finder.validate("years_since_closure", 61)
    assert "날짜를 다시 한번 확인해 주시겠어요?" in said(reply)
    assert dict(reply.slots) == {"years_since_closure": None}


def test_validate_keeps_an_unknown_closure_date() -> None:
    reply = finder.validate("years_since_closure", UNKNOWN)
    assert dict(reply.slots) == {"years_since_closure": UNKNOWN} and not reply.messages


def test_validate_keeps_a_closure_date_in_years() -> None:
    assert dict(finder.validate("years_since_closure", 2.5).slots) == {"years_since_closure": 2.5}
    assert dict(finder.validate("years_since_closure", "3").slots) == {"years_since_closure": 3.0}


def test_validate_refuses_an_ambiguous_region_silently() -> None:
    reply = finder.validate("region", "gwangju|gyeonggi")
    assert dict(reply.slots) == {"region": None} and not reply.messages


def test_validate_takes_the_one_known_candidate_of_a_region() -> None:
    assert dict(finder.validate("region", "busan").slots) == {"region": "busan"}
    assert dict(finder.validate("region", "busan|atlantis").slots) == {"region": "busan"}
    assert dict(finder.validate("region", UNKNOWN).slots) == {"region": UNKNOWN}


def test_validate_keeps_other_answers_as_they_are() -> None:
    assert dict(finder.validate("goal", "restart").slots) == {"goal": "restart"}


def test_after_validation_skips_a_third_asking() -> None:
    earlier = [*ASKING_CREDIT, user("음")]
    reply = finder.after_validation(turn("글쎄", earlier=earlier, loop=FINDER), {})
    assert texts(reply) == ["이 질문은 넘어갈게요. 몰라도 괜찮아요, 나중에 상담에서 확인하셔도 돼요."]
    assert dict(reply.slots) == {"credit_state": UNKNOWN}


def test_after_validation_asks_a_second_time() -> None:
    assert finder.after_validation(turn("글쎄", earlier=ASKING_CREDIT, loop=FINDER), {}).silent


def test_after_validation_keeps_an_answer_given_at_last() -> None:
    earlier = [*ASKING_CREDIT, user("음")]
    assert finder.after_validation(turn("없어요", earlier=earlier, loop=FINDER), {"credit_state": "normal"}).silent


def test_after_validation_answers_a_barrier_question_that_also_filled_a_slot() -> None:
    question = turn(
        "국세 체납이 있는데 재창업할 수 있나요?",
        "ask_tax_arrears",
        earlier=[finder_started(), asked("tax_arrears")],
        later=[slot("tax_arrears", True)],
        loop=FINDER,
    )
    reply = finder.after_validation(question, {"tax_arrears": True})
    assert said(reply).startswith(f"[{knowledge().barriers['tax_arrears'].name}]")
    assert reply.slots["last_topic"] == "tax_arrears"
    # a barrier question that filled nothing is left to the rules
    assert finder.after_validation(question, {"requested_slot": "tax_arrears"}).silent


def test_a_barrier_question_on_the_third_try_is_answered_after_the_question_is_set_aside() -> None:
    earlier = [*ASKING_CREDIT, user("음"), user("글쎄")]
    question = turn("연대보증 있으면 재창업 못 하나요?", "ask_joint_guarantee", earlier=earlier, loop=FINDER)
    reply = finder.after_validation(question, {})
    assert texts(reply)[0].startswith("이 질문은 넘어갈게요")
    assert reply.slots["credit_state"] == UNKNOWN
    assert f"[{knowledge().barriers['joint_guarantee'].name}]" in said(reply)
    assert reply.slots["last_topic"] == "joint_guarantee"


# --- the form's own questions -------------------------------------------------------------------


def test_ask_region_after_an_ambiguous_name_asks_which_one_with_a_button_each() -> None:
    reply = finder.ask_region(
        turn("광주요", entities=[entity("region", "gwangju|gyeonggi", start=0, end=2)], loop=FINDER)
    )
    assert texts(reply) == ["광주는 두 곳이 있어요. 어느 쪽이세요?"]
    assert payloads(reply) == ['/inform{"region": "gwangju"}', '/inform{"region": "gyeonggi"}']
    titles = [button["title"] for button in reply.messages[0]["buttons"]]
    assert titles == [knowledge().regions["gwangju"].name, knowledge().regions["gyeonggi"].name]


def test_ask_region_asks_plainly_when_the_latest_mention_was_clear() -> None:
    earlier = [user("광주에 살아요", entities=[entity("region", "gwangju|gyeonggi", start=0, end=2)])]
    reply = finder.ask_region(turn("부산이요", entities=[busan()], earlier=earlier, loop=FINDER))
    assert reply.messages == ({"response": "utter_ask_region"},)


def test_ask_region_asks_plainly_without_a_mention() -> None:
    assert finder.ask_region(turn("몰라요", loop=FINDER)).messages == ({"response": "utter_ask_region"},)


def test_explain_question_says_why_the_question_asked_matters() -> None:
    reply = finder.explain_question(turn("왜요?", "ask_why", earlier=ASKING_CREDIT, loop=FINDER))
    assert texts(reply) == [finder.WHY_WE_ASK["credit_state"]]
    assert "연체나 채무조정" in said(reply)


def test_explain_question_without_a_question_asked_gives_the_general_reason() -> None:
    reply = finder.explain_question(turn("왜요?", "ask_why", loop=FINDER))
    assert texts(reply) == ["받으실 수 있는 지원을 정확히 찾아 드리려고 여쭤봐요."]
