"""Record check of the harm summary's rule (`forcewatch.harm`): a whole whose figure is below
the sum of its parts' figures, so that the two cannot both be right."""

from __future__ import annotations

from .. import harm


def check_whole_below_parts(record, record_type):
    if record_type != "incident" or len({row["party"] for row in record.get("casualties", ())}) < 2:
        return  # a contradiction needs a whole and a part of it: most records have neither
    analysis = harm.analyse(record["casualties"])
    for found in analysis.contradictions:
        parts = ", ".join(f"`{part}` {harm.describe(analysis.figure(part, found.harm))}" for part in found.parts)
        whole = f"`{found.whole}` {found.harm} is {harm.describe(found.whole_figure)}"
        if not found.parts_figure.numbered:
            named = ", ".join(f"`{part}`" for part in found.parts)
            message = f"{whole} (no one harmed), but {named} {found.harm} is stated as unknown"
        elif len(found.parts) == 1:
            message = f"{whole}, below its part {parts}"
        else:
            message = f"{whole}, below the sum of its parts ({parts}): {harm.describe(found.parts_figure)}"
        yield ("whole-below-parts", ("casualties", found.row) if found.row is not None else ("casualties",),
               message + "; the summary counts the parts",
               "check both against their sources: a part counted under the wrong party, a whole that is an early "
               "or partial count (mark it `preferred: false` with a `reason`), or a part's figure the sources do "
               "not support")
