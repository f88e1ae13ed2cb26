"""`forcewatch draft`: from the text of one news report to a draft incident record.

Rule-based and local: the lexicon is the project's own vocabularies (schema/), gazetteer
(datasets/sites), actor names and aliases (datasets/actors) and incidents (for links), read
at run time; no model, no network. Every value the draft fills carries the words it came
from; what the text does not say stays blank (`blank-field`), so that `forcewatch validate`
lists exactly what is left to fill in.

    read_report(path or "-")  -> the text, or a problem (empty, not UTF-8, too large)
    draft_report(text, root, ...) -> a Draft (values with their quotes, the rendered YAML,
                                      the posture figures, what could not be found)
    write_draft(draft, root)  -> the files written under datasets/, never overwriting
"""

from .api import Draft, ReportProblem, draft_report, read_report, write_draft

__all__ = ["Draft", "ReportProblem", "draft_report", "read_report", "write_draft"]
