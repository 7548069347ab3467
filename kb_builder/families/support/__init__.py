"""Support facts: plans, channels, hours, ticket types, the team and escalation, written once.

content/_data/support.yml is the one place these facts live. From it come the generated
support pages (`kb_builder.families.support.pages`) and the values of ``{{ support.... }}``
placeholders in every other page (`kb_builder.families.support.placeholders`).

Modules, one job each:

- `model`: what the file may hold (pydantic; ``SCHEMA_MODELS`` for editors' JSON Schema);
- `hours`: days, times, durations and time zones, parsed and worded;
- `references`: checks that span the file (ids, references, audiences);
- `contact`: e-mail addresses, telephone numbers (E.164) and portal URLs, checked and shown;
- `routes`: which addresses a plan uses for a ticket type, and when; the checks on routes;
- `loader`: `check` (every problem) and `load` (the first raises);
- `editions`: what the public edition drops;
- `facts`: the ``{{ support.... }}`` namespace; `placeholders`: resolution in any page;
- `wording`, `escape`, `blocks`, `view`: sentences, literal Markdown, Markdown blocks and the
  page-shaped view that `kb_builder.families.support.pages` renders.
"""

from kb_builder.families.support.loader import SupportData, check, load

__all__ = ["SupportData", "check", "load"]
