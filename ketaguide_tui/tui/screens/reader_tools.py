"""The reading screen's health-literacy tools: explain the words on screen, ask a question.

`ReaderScreen` builds on this class. `e` shows what the glossary says about the
terms on screen (a click on a marked term shows that one); Enter there opens the
entry in the glossary. `a` adds a question for a clinician: in the guide's
questions section, the list item at the top of the view is offered, ready to
edit; anywhere else the reader types one. `A` lists the questions. Changes are
posted to the app (`tui.messages`), which saves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen

from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID, Section
from ketaguide_tui.state import Place, new_question
from ketaguide_tui.tui.messages import QuestionAdded
from ketaguide_tui.tui.services import Services
from ketaguide_tui.tui.widgets.viewer import SectionViewer

if TYPE_CHECKING:
    from ketaguide_tui.guide.glossary import GlossaryEntry

QUESTIONS_SECTION_ID = "questions-to-ask"
"""The guide's checklist of questions: `a` there offers the item being read."""
_LOOK_FOR = 20
"""Characters of an item's start looked for in the drawn lines to find where it is
(few enough to fit on the item's first line at any width the reader allows)."""


class ReaderTools(Screen[None]):
    """Explain, ask and my questions, for the reading screen."""

    services: Services

    @property
    def viewer(self) -> SectionViewer:
        return self.query_one(SectionViewer)

    @property
    def section(self) -> Section | None:
        return self.viewer.section

    def tell(self, message: str, warning: bool = False) -> None:
        """A notification; the text may come from content, so it is never markup."""
        self.notify(message, severity="warning" if warning else "information", markup=False)

    async def open_place(
        self, section_id: str, anchor: str | None = None, scroll_y: int = 0, remember: bool = True
    ) -> bool:
        raise NotImplementedError

    async def go_to(self, place: Place, remember: bool = True) -> None:
        raise NotImplementedError

    # Explain ------------------------------------------------------------------

    def action_explain(self) -> None:
        if not self.viewer.glossary:
            self.tell("This guide has no glossary.")
            return
        entries = self.viewer.terms_in_view()
        if not entries:
            self.tell("No words on this screen are in the glossary.")
            return
        self._explain(entries, "Words on this screen")

    @on(SectionViewer.TermChosen)
    def _term_chosen(self, event: SectionViewer.TermChosen) -> None:
        glossary = self.viewer.glossary
        entry = glossary.entry(event.anchor) if glossary else None
        if entry is not None:
            self._explain([entry], entry.term)

    def _explain(self, entries: list[GlossaryEntry], title: str) -> None:
        from ketaguide_tui.tui.screens.explain import ExplainScreen

        async def chosen(anchor: str | None) -> None:
            if anchor is not None:
                await self.open_place(GLOSSARY_SECTION_ID, anchor)

        self.app.push_screen(ExplainScreen(entries, title), chosen)

    # Questions ----------------------------------------------------------------

    def action_ask(self) -> None:
        section = self.section
        if section is None:
            return
        anchor = self.viewer.current_anchor
        offered = ""
        if section.id == QUESTIONS_SECTION_ID:
            offered, anchor = self.question_in_view(section) or ("", anchor)
        heading = section.heading_for(anchor) if anchor else None
        where = section.title + (f" › {heading.text}" if heading else "")

        def chosen(text: str | None) -> None:
            question = new_question(text or "", section.id, anchor, where)
            if question is not None:
                self.post_message(QuestionAdded(question))

        from ketaguide_tui.tui.screens.questions import QuestionScreen

        prompt = "Add this question to My questions?" if offered else "Add a question:"
        self.app.push_screen(QuestionScreen(prompt, offered, where), chosen)

    def question_in_view(self, section: Section) -> tuple[str, str | None] | None:
        """The first top-level list item at or below the top of the view, and the
        anchor of the heading it is under."""
        items = [u for u in section.reading.units if u.kind == "item"]
        top_level = [
            item
            for item in items
            if not any(o is not item and o.line < item.line < o.end for o in items)
        ]
        lines = self.viewer.line_texts()
        top = round(self.viewer.scroll_y)
        folded = [" ".join(text.split()) for text in lines]
        y = 0
        for item in top_level:
            wanted = " ".join(item.text.split())[:_LOOK_FOR]
            found = next((n for n in range(y, len(folded)) if wanted in folded[n]), None)
            if found is None:
                continue
            y = found
            if found >= top:
                above = [h for h in section.toc if h.line < item.line]
                return item.text, above[-1].anchor if above else None
        return None

    def action_questions(self) -> None:
        async def chosen(place: Place | None) -> None:
            if place is not None:
                await self.go_to(place)

        from ketaguide_tui.tui.screens.questions import QuestionsScreen

        self.app.push_screen(QuestionsScreen(self.services), chosen)
