"""The openai backend: one structured call per section, through any OpenAI-compatible server.

The answer is parsed into `LLMReview` (quotes, v1/v2) or `LLMLabels` (ids, v3), whose theme enum
is the taxonomy's keys, and then checked, never trusted: each quote is grounded in the section
(exact or fuzzy; only quotes with no match are re-asked, and a review that keeps one unmatched
statement is `partial`), duplicate or contradictory labels are re-asked, the verdict is
recomputed from the labels by the taxonomy's rule, and a disagreement with the model's verdict
or with the offline rules is a finding. Answers are cached on the prompt's text, model, server,
mode, temperature, schema hash and section text; failures never are.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from instructor.batch.request import BatchRequest
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from extractor.llm.cache import ResponseCache, cache_key
from extractor.llm.calllog import CallLog
from extractor.llm.client import (
    CallInfo,
    CallStats,
    LLMError,
    clean_answer,
    client_for,
    log_rows,
    structured_call,
)
from extractor.llm.grounding import align
from extractor.llm.providers import context_warning, request_options
from extractor.llm.redact import mask
from extractor.llm.settings import LLMSettings
from extractor.llm.tokens import count_tokens
from extractor.narrative import offline
from extractor.narrative.models import Finding, Review, Statement, Usage
from extractor.narrative.prompts import Prompt, load_prompt
from extractor.narrative.segment import Span, split_statements
from extractor.narrative.taxonomy import ThemeKey

__all__ = ["BACKEND", "LLMLabel", "LLMLabels", "LLMReview", "LLMStatement", "OpenAIBackend", "SCHEMA_HASH"]

BACKEND = "openai"


class LLMStatement(BaseModel):
    kind: Literal["problem", "improvement"]
    quote: str = Field(description="the statement copied exactly from the section")
    themes: list[ThemeKey] = Field(min_length=1)
    boilerplate: bool
    evidence: str = ""

    # A quote is grounded after the answer parses (extractor.llm.grounding): exact, fuzzy, or
    # re-asked on its own — one bad quote does not cost the whole answer.


class LLMReview(BaseModel):
    statements: list[LLMStatement]
    substantive: Literal["substantive", "partial", "boilerplate", "absent"]
    reason: str = ""


class LLMQuotes(BaseModel):
    """The answer to a re-ask of quotes that were not found: those statements only, corrected."""

    statements: list[LLMStatement]


class LLMLabel(BaseModel):
    """v3: labels for statements we segmented, by id; the text is never re-typed."""

    ids: list[int] = Field(min_length=1, description="the statement's number, or consecutive numbers merged")
    kind: Literal["problem", "improvement"]
    themes: list[ThemeKey] = Field(min_length=1)
    boilerplate: bool
    evidence: str = ""
    from_: str | None = Field(None, alias="from", description="where a second statement in one number starts")

    model_config = {"populate_by_name": True}

    @field_validator("ids")
    @classmethod
    def ids_exist_and_follow(cls, ids: list[int], info: ValidationInfo) -> list[int]:
        count = len((info.context or {}).get("segments") or ())
        if count and any(not 1 <= i <= count for i in ids):
            raise ValueError(f"ids must be statement numbers 1–{count}, got {ids}")
        if ids != list(range(ids[0], ids[0] + len(ids))):
            raise ValueError(f"merged ids must be consecutive, got {ids}")
        return ids


class LLMLabels(BaseModel):
    labels: list[LLMLabel]
    substantive: Literal["substantive", "partial", "boilerplate", "absent"]
    reason: str = ""

    @field_validator("labels")
    @classmethod
    def one_label_per_statement(cls, labels: list[LLMLabel]) -> list[LLMLabel]:
        """A statement is labelled once: the same id again is a duplicate or a contradiction
        (re-asked), unless it is the second half of a split (same ids, with `from`)."""
        seen: dict[int, LLMLabel] = {}
        for label in labels:
            for i in label.ids:
                first = seen.get(i)
                if first is None:
                    seen[i] = label
                    continue
                if label.from_ and label.ids == first.ids:
                    continue
                same = ((first.kind, sorted(t.value for t in first.themes), first.boilerplate)
                        == (label.kind, sorted(t.value for t in label.themes), label.boilerplate))
                what = "labelled twice" if same else "given contradictory labels"
                raise ValueError(f"statement {i} is {what} ({first.kind}/{first.boilerplate} and "
                                 f"{label.kind}/{label.boilerplate}): give each statement one label; a second "
                                 "statement inside one number needs the same ids and `from`")
        return labels

    @field_validator("labels")
    @classmethod
    def split_markers_are_in_their_statement(cls, labels: list[LLMLabel], info: ValidationInfo) -> list[LLMLabel]:
        segments = (info.context or {}).get("segments") or []
        for label in labels:
            if label.from_ and segments and label.from_ not in " ".join(segments[i - 1] for i in label.ids):
                raise ValueError(f"'from' must be copied from statement {label.ids[0]}: {label.from_!r} is not in it")
        return labels


def _schema_hash(*models: type[BaseModel]) -> str:
    blob = json.dumps([m.model_json_schema() for m in models], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


SCHEMA_HASH = _schema_hash(LLMReview, LLMLabels, LLMQuotes)


def output_budget(section: str, statements: int | None = None) -> int:
    """max_tokens for one answer, within 1,024–16,384: with quotes (v1/v2) the model re-types most
    of the section, about three tokens per character of it in JSON; with ids (v3) about 80 tokens
    a statement."""
    need = 80 * statements + 400 if statements is not None else 3 * len(section) + 800
    return max(1024, min(16384, need))


_TRAILING = "，,；;、：: \n\t"


def _labelled(text: str, spans: list[Span], answer: LLMLabels) -> list[Statement]:
    """Statements from v3's labels: offsets from our segmentation, merged or split as labelled."""
    out: list[Statement] = []
    by_id: dict[int, list[LLMLabel]] = {}
    for label in answer.labels:
        by_id.setdefault(label.ids[0], []).append(label)
    for first in sorted(by_id):
        labels = by_id[first]
        for n, label in enumerate(labels):
            start, end = spans[label.ids[0] - 1].start, spans[label.ids[-1] - 1].end
            if label.from_:
                start = text.find(label.from_, start, end)
            after = labels[n + 1].from_ if n + 1 < len(labels) else None
            if after:
                end = text.find(after, start + 1, end)
            while end > start and text[end - 1] in _TRAILING:
                end -= 1  # a split leaves the comma before its marker
            if start < 0 or end <= start:
                continue
            out.append(Statement(kind=label.kind, text=text[start:end], start=start, end=end,
                                 themes=[t.value for t in label.themes], boilerplate=label.boilerplate,
                                 evidence=label.evidence))
    return out


VERDICT_NAMES = {"substantive": "实质", "partial": "部分实质", "boilerplate": "套话", "absent": "未填写"}


def _disagrees(review: Review) -> bool:
    return any(f.code == "offline_disagrees" for f in review.findings)


def _labels(st: Statement) -> tuple:
    return st.kind, tuple(sorted(st.themes)), st.boilerplate


def _duplicates(statements: list[Statement]) -> list[str]:
    seen: set[tuple[int, int]] = set()
    out = []
    for st in statements:
        if (st.start, st.end) in seen:
            out.append(st.text)
        seen.add((st.start, st.end))
    return out


def _unique(statements: list[Statement]) -> list[Statement]:
    """One statement per span: the first label given for it."""
    seen: set[tuple[int, int]] = set()
    out = []
    for st in statements:
        if (st.start, st.end) not in seen:
            seen.add((st.start, st.end))
            out.append(st)
    return out


def _add(stats: CallStats, more: CallStats | None) -> None:
    if more is None:  # a failure raised before its first request
        return
    stats.requests += more.requests
    stats.prompt_tokens += more.prompt_tokens
    stats.completion_tokens += more.completion_tokens
    stats.cached_tokens += more.cached_tokens


def _usage(stats: CallStats | None) -> Usage:
    if stats is None:  # a failure raised before its first request
        return Usage()
    return Usage(prompt_tokens=stats.prompt_tokens, completion_tokens=stats.completion_tokens,
                 cached_tokens=stats.cached_tokens, requests=stats.requests)


class OpenAIBackend:
    def __init__(self, settings: LLMSettings, prompt: Prompt | None = None):
        self.settings = settings
        self.prompt = prompt or load_prompt(settings.prompt)
        self.cache = ResponseCache(settings.cache_dir, settings.use_cache)
        self.log = CallLog(settings.cache_dir)
        # what decides an answer besides the section: prompt text (hash), model, mode, temperature, schema …
        self.answer_key = {**settings.answer_key(), "prompt": self.prompt.version, "prompt_sha": self.prompt.sha}

    def _info(self, source: str) -> CallInfo:
        return CallInfo(source=source, prompt_version=self.prompt.version, prompt_sha=self.prompt.sha)

    def _base(self, source: str) -> dict:
        return dict(source=source, backend=BACKEND, model=self.settings.model, prompt_version=self.prompt.version)

    def _key(self, text: str) -> str:
        # keyed on the prompt's text, not its name: a copy of v3 under another name is v3's answers
        parts = {k: v for k, v in self.answer_key.items() if k != "prompt"}
        return cache_key(backend=BACKEND, **parts, prompt_text=self.prompt.template_text(), text=text)

    def _request(self, text: str) -> tuple[list[Span], list[dict[str, str]], type[BaseModel], dict, int]:
        """What one review sends: our spans (v3), the messages, the answer model, the validation
        context and the output budget."""
        spans = split_statements(text) if self.prompt.numbered else []
        context = {"section": text, "segments": [text[sp.start:sp.end] for sp in spans]}
        model = LLMLabels if self.prompt.numbered else LLMReview
        budget = self.settings.max_tokens or output_budget(text, len(spans) if self.prompt.numbered else None)
        return spans, self.prompt.messages(text, [sp.start for sp in spans]), model, context, budget

    def _answered(self, text: str, source: str, spans: list[Span], answer: BaseModel,
                  unmatched: list[str] | None = None) -> Review:
        """The review from a parsed answer, checked against the spec, never trusted: the verdict
        recomputed from the statement labels (taxonomy.md), a disagreement with the model's own
        verdict and with the offline rules' recorded as findings; quotes that could not be
        grounded leave the review `partial`."""
        findings: list[Finding] = []
        if isinstance(answer, LLMLabels):
            statements = _labelled(text, spans, answer)
        else:
            statements, dropped = self._statements(text, answer.statements)  # type: ignore[attr-defined]  # LLMReview
            unmatched = (unmatched if unmatched is not None else dropped)
            findings += [Finding(code="duplicate_statement", message=f"同一陈述重复标注，保留第一条：{q[:40]}")
                         for q in _duplicates(statements)]
            statements = _unique(statements)
        for quote in unmatched or []:
            findings.append(Finding(code="unmatched_quote", message=f"模型引文在原文中找不到，已舍去：{quote[:60]}"))
        said = answer.substantive  # type: ignore[attr-defined]  # LLMReview and LLMLabels both have it
        verdict, why = offline.judge(statements) if statements or said != "absent" else ("absent", "")
        reason = answer.reason  # type: ignore[attr-defined]  # LLMReview and LLMLabels both have it
        if verdict != said:
            findings.append(Finding(code="verdict_recomputed",
                                    message=f"模型判断为「{VERDICT_NAMES[said]}」，按陈述标签的规则应为「{VERDICT_NAMES[verdict]}」"
                                            f"（{why}）"))
            reason = f"recomputed from the statement labels: {why} (the model said {said}: {reason})"
        rules = offline.review_text(text, source).substantive
        if rules != verdict:
            findings.append(Finding(code="offline_disagrees",
                                    message=f"离线规则判断为「{VERDICT_NAMES[rules]}」，LLM 为「{VERDICT_NAMES[verdict]}」"))
        review = Review(**self._base(source), statements=statements, substantive=verdict, reason=reason,
                        findings=findings, grounding="partial" if unmatched else "complete")
        self.cache.set(self._key(text), review.model_dump(mode="json", exclude={"usage"}))
        return review

    def _empty(self, text: str | None, source: str) -> Review | None:
        if text is None or not text.strip():
            return Review(**self._base(source), section_found=text is not None, substantive="absent",
                          reason="no section 五" if text is None else "section 五 is empty")
        return None

    def cached_review(self, text: str | None, source: str, log: bool = True) -> Review | None:
        """The review from the cache (or of an empty section), with no request; None if not there.
        A hit is a `cache_hit` row of the call log unless `log` is false (dry runs)."""
        empty = self._empty(text, source)
        if empty is not None:
            return empty
        hit = self.cache.get(self._key(text))  # type: ignore[arg-type]  # _empty answered a None text
        if hit is None:
            return None
        review = Review(**{**hit, "source": source, "prompt_version": self.prompt.version})
        review.usage = Usage(cached=True, disagrees_with_offline=_disagrees(review))
        if log:
            self.log.write([log_rows(self.settings, self._info(source), status="cache_hit", cache_hit=1,
                                     latency_ms=0)])
        return review

    def review(self, text: str | None, source: str = "<text>") -> Review:
        cached = self.cached_review(text, source)
        if cached is not None:
            return cached
        assert text is not None  # an empty section is answered by cached_review
        spans, messages, model, context, budget = self._request(text)
        context_warning(self.settings, lambda: sum(count_tokens(m["content"]) for m in messages), budget)
        try:
            answer, stats = structured_call(self.settings, messages, model, context=context, source=source,
                                            max_tokens=budget, info=self._info(source))
            unmatched = None
            if isinstance(answer, LLMReview):
                answer, unmatched = self._reask_unmatched(text, source, messages, answer, stats)
        except LLMError as exc:
            return Review(**self._base(source), ok=False, error=str(exc), substantive="absent", usage=_usage(exc.stats))
        review = self._answered(text, source, spans, answer, unmatched)
        review.usage = _usage(stats)
        review.usage.disagrees_with_offline = _disagrees(review)
        return review

    def _reask_unmatched(self, text: str, source: str, messages: list[dict[str, str]], answer: LLMReview,
                         stats: CallStats) -> tuple[LLMReview, list[str]]:
        """Re-ask only the quotes with no match (not even fuzzy), `reasks` times at most; the
        statements that matched are kept whatever the re-asks give. Returns the answer with the
        corrected statements and the quotes still unmatched."""
        statements = list(answer.statements)
        for _round in range(self.settings.reasks):
            missing = [i for i, st in enumerate(statements) if align(text, st.quote) is None]
            if not missing:
                break
            asked = json.dumps([statements[i].model_dump(mode="json") for i in missing], ensure_ascii=False)
            follow = messages + [
                {"role": "assistant", "content": answer.model_dump_json()},
                {"role": "user", "content": (
                    "These quotes are not a verbatim span of the section; copy each statement exactly from the "
                    "text between <report> and </report>, character for character, and answer with these "
                    f"statements only (same labels): {asked}")}]
            try:
                fixed, more = structured_call(self.settings, follow, LLMQuotes, source=source,
                                              max_tokens=max(1024, 3 * sum(len(statements[i].quote) for i in missing)
                                                             + 400), info=self._info(source))
            except LLMError as exc:  # the re-ask failed: keep what matched
                _add(stats, exc.stats)
                break
            _add(stats, more)
            for i, st in zip(missing, fixed.statements):
                if align(text, st.quote) is not None:
                    statements[i] = st
        unmatched = [st.quote for st in statements if align(text, st.quote) is None]
        return answer.model_copy(update={"statements": statements}), unmatched

    # ------------------------------------------------------------ the Batch API (batch/llm_batch.py)
    def client(self):
        return client_for(self.settings)

    def batch_request(self, text: str, custom_id: str) -> dict:
        """One line of a Batch API input file: the request a direct call would send, in JSON
        schema mode (instructor's batch format, not strict: the answer is validated on return)."""
        _spans, messages, model, _context, budget = self._request(text)
        line = BatchRequest(custom_id=custom_id, model=self.settings.model, messages=messages, max_tokens=budget,
                            temperature=self.settings.temperature, response_model=model).to_openai_format()
        body = line["body"]
        body["response_format"]["json_schema"]["strict"] = False
        body["response_format"]["json_schema"]["schema"] = model.model_json_schema()
        for name in ("max_tokens", "max_completion_tokens", "temperature", "extra_body"):
            body.pop(name, None)  # the provider decides these (a reasoning model takes neither max_tokens nor temperature)
        options = request_options(self.settings, budget)
        extra = options.pop("extra_body", None) or {}
        body.update(options)
        body.update(extra)
        return line

    def from_batch_answer(self, text: str, source: str, item: dict | None) -> Review:
        """A review from one line of a batch's output, validated like a direct answer; logged as a
        `batch` row of the call log (batch_id: the batch request's id)."""
        review = self._from_batch_answer(text, source, item)
        usage = review.usage or Usage()
        response = ((item or {}).get("response") or {})
        self.log.write([log_rows(
            self.settings, self._info(source), status="batch", cache_hit=0,
            batch_id=(item or {}).get("id") or (item or {}).get("custom_id"), http_status=response.get("status_code"),
            error=review.error, input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens,
            cached_tokens=usage.cached_tokens, response=json.dumps(response.get("body"), ensure_ascii=False)[:200_000])])
        return review

    def _from_batch_answer(self, text: str, source: str, item: dict | None) -> Review:
        failed = dict(**self._base(source), ok=False, substantive="absent")
        response = (item or {}).get("response") or {}
        if not item or item.get("error") or response.get("status_code") != 200:
            detail = (item or {}).get("error") or response.get("body", {}).get("error") or "no answer in the batch output"
            return Review(**failed, error=mask(" ".join(f"batch: {detail}".split()), self.settings.api_key)[:300])
        body = response["body"]
        usage = body.get("usage") or {}
        stats = CallStats(requests=1, prompt_tokens=usage.get("prompt_tokens", 0),
                          completion_tokens=usage.get("completion_tokens", 0),
                          cached_tokens=(usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0))
        choice = body["choices"][0]
        if choice.get("finish_reason") == "length":
            return Review(**failed, error="batch: answer cut off at max_tokens (finish_reason: length)",
                          usage=_usage(stats))
        spans, _messages, model, context, _budget = self._request(text)
        try:
            answer = model.model_validate_json(clean_answer(choice["message"]["content"] or ""), context=context)
        except ValueError as exc:
            first = " ".join(str(exc).split())[:200]
            return Review(**failed, error=f"batch: the answer does not validate: {first}", usage=_usage(stats))
        review = self._answered(text, source, spans, answer)
        review.usage = _usage(stats)
        return review

    def estimate(self, text: str | None) -> tuple[int, int]:
        """(input, output) tokens one review would cost, counted offline (llm/tokens.py); sends nothing.
        Input: the messages and the answer schema instructor adds. Output: ~40 tokens of labels a
        statement, plus, with quotes (v1/v2), the statements re-typed (our segmentation's text)."""
        if not text or not text.strip():
            return 0, 0
        spans = split_statements(text)
        segments = [text[sp.start:sp.end] for sp in spans]
        model = LLMLabels if self.prompt.numbered else LLMReview
        messages = self.prompt.messages(text, [sp.start for sp in spans])
        prompt = sum(count_tokens(m["content"]) + 4 for m in messages)
        prompt += count_tokens(json.dumps(model.model_json_schema(), ensure_ascii=False))
        output = 60 + 40 * len(spans)
        if not self.prompt.numbered:
            output += sum(count_tokens(seg) for seg in segments)
        return prompt, output

    @staticmethod
    def _statements(text: str, quoted: list[LLMStatement]) -> tuple[list[Statement], list[str]]:
        """Statements whose quotes are found (exact or fuzzy), and the quotes that are not."""
        out, missing, after = [], [], 0
        for st in quoted:
            found = align(text, st.quote, after)
            if found is None:
                missing.append(st.quote)
                continue
            start, end, how = found
            after = start + 1
            out.append(Statement(kind=st.kind, text=text[start:end], start=start, end=end,
                                 themes=[t.value for t in st.themes], boilerplate=st.boilerplate,
                                 evidence=st.evidence, alignment=how))
        return out, missing
