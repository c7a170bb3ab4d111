"""The Review queue: candidate links in the review band, the two storefronts side by side with the evidence
of each signal, and same / different / unsure buttons that record a judgement (who: the signed-in user),
write it to the audit log and re-resolve; judgements can be withdrawn the same way."""

from __future__ import annotations

import streamlit as st

from graph.errors import GraphError
from graph.resolution.judgements import VERDICTS

from dashboard import review_queue
from dashboard.access import audit, current_user
from dashboard.state import cache_key, page_link

OUTCOME_KEY = "review_outcome"
BUTTONS = {"same": "Same operator", "different": "Different operators", "unsure": "Unsure"}


@st.cache_data(show_spinner=False, max_entries=4)
def _candidates(_store, key: tuple):
    return review_queue.list_candidates(_store)


@st.cache_data(show_spinner=False, max_entries=32)
def _detail(_store, key: tuple, index: int):
    cand = _candidates(_store, key).candidates[index]
    return review_queue.side_by_side(_store, cand), review_queue.evidence_rows(_store, cand)


def render(store) -> None:
    st.header("Review queue")
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome:
        st.success(outcome)
    key = cache_key(store)
    try:
        queue = _candidates(store, key)
    except GraphError as exc:  # e.g. a bad INFRINGER_GRAPH_RESOLVE_CONFIG file
        st.error(str(exc))
        return
    if queue.refreshed:
        st.caption(queue.refreshed[:1].upper() + queue.refreshed[1:])
    if not queue.candidates:
        st.info("Nothing to review: no candidate link is in the review band.")
    else:
        _judge(store, key, queue)
    _history(store)


def _judge(store, key: tuple, queue) -> None:
    candidates = queue.candidates
    shown = f"; the {len(candidates)} strongest are listed" if len(candidates) < queue.total else ", strongest first"
    st.caption(f"{queue.total} candidate links between the accept and review thresholds{shown}")
    st.dataframe([{"score": round(c.score, 3), "storefront": c.a.key, "name": c.a_name, "other storefront": c.b.key,
                   "other name": c.b_name, "signals": ", ".join(f"{s.get('kind')} {s.get('weight')}"
                                                                for s in c.signals)} for c in candidates],
                 hide_index=True, key="review_list")
    pick = st.selectbox("Candidate", range(len(candidates)), format_func=lambda i: candidates[i].label,
                        key="review_pick")
    cand = candidates[pick]
    props, evidence = _detail(store, key, pick)
    left, right = st.columns(2)
    for col, ref, name in ((left, cand.a, cand.a_name), (right, cand.b, cand.b_name)):
        col.markdown("**Storefront**")
        col.text(f"{name or ref.key}\n{ref.key}")  # plain text: names come from counterfeiters' pages
        col.link_button("Open entity", page_link("Entity", type="Storefront", key=ref.key))
    st.markdown("#### Side by side")
    st.dataframe(props, hide_index=True, key="review_props")
    st.markdown("#### Evidence of each signal")
    st.dataframe(evidence, hide_index=True, key="review_evidence")
    comment = st.text_input("Comment (why)", key="review_comment")
    cols = st.columns(len(VERDICTS))
    for col, verdict in zip(cols, VERDICTS):
        if col.button(BUTTONS.get(verdict, verdict), key=f"review_{verdict}"):
            who = current_user()
            try:
                result = review_queue.judge(store, cand.a, cand.b, verdict, who, comment)
            except GraphError as exc:
                st.error(str(exc))
                return
            audit("judgement", verdict=verdict, a=cand.a.key, b=cand.b.key, comment=comment.strip(),
                  judgement=result.judgement.id, outcome=result.together or "apart")
            st.session_state[OUTCOME_KEY] = result.text
            st.session_state.pop("review_pick", None)  # the queue changed: start again at its top
            st.rerun()


def _history(store) -> None:
    st.markdown("#### Judgements")
    rows = review_queue.judgement_rows(store)
    if not rows:
        st.caption("No judgements yet.")
        return
    st.dataframe(rows, hide_index=True, key="review_history")
    labels = {r["id"]: f"{r['id']}: {r['storefront']} / {r['other storefront']} {r['verdict']} by {r['who']}"
              for r in rows}
    cols = st.columns([4, 1])
    chosen = cols[0].selectbox("Withdraw a judgement", list(labels), format_func=labels.get, key="review_undo_pick")
    if cols[1].button("Undo", key="review_undo"):
        try:
            result = review_queue.withdraw(store, chosen)
        except GraphError as exc:
            st.error(str(exc))
            return
        audit("undo_judgement", judgement=result.judgement.id, a=result.judgement.a.key,
              b=result.judgement.b.key, verdict=result.judgement.verdict, outcome=result.together or "apart")
        st.session_state[OUTCOME_KEY] = result.text
        st.rerun()
