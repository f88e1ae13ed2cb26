"""The catalogue of issue codes: one place for every code's severity, title, message and fix.

Codes are stable: a code, once released, keeps its meaning. A test fails if a code here has
no invalid fixture that produces it, and the docs' issue-code page is generated from this
table. Severity here is the default; `validators/checks.yaml` may change it per code.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    stage: str  # load | schema | record | dataset
    title: str
    explanation: str
    fix: str


_CODES = [
    # --- loading: the file itself -------------------------------------------------------
    Code("file-unreadable", ERROR, "load", "File cannot be read",
         "The file could not be opened or read (permissions, a folder or a pipe with a "
         "record's name: only regular files are read).",
         "Check that the path is a regular, readable file inside the repository."),
    Code("file-too-large", ERROR, "load", "File is too large",
         "Record files are small; a file over the size limit is refused unread, so a "
         "mistaken or hostile file cannot exhaust memory.",
         "Split the content into one record per file, or raise `limits.max_file_bytes` in "
         "validators/checks.yaml if a real record needs it."),
    Code("path-outside-repository", ERROR, "load", "Path leads outside the repository",
         "The file is a symbolic link (or sits under one) that resolves outside the "
         "repository. Records must live in the repository so that every reviewer sees them.",
         "Replace the link with the file itself."),
    Code("link-loop", ERROR, "load", "Symbolic link loop",
         "A symbolic link leads back to itself, directly or through other links, or to a "
         "folder it is in (`ln -s . datasets/loop`), so following it never ends. The link "
         "is not followed and the files it would lead to are not read through it.",
         "Remove the link; records are plain files in the folders of their type."),
    Code("link-broken", ERROR, "load", "Symbolic link leads nowhere",
         "A symbolic link points at a file or folder that does not exist (it was moved, "
         "renamed or never committed), so a record may be missing.",
         "Remove the link, or replace it with the record file itself."),
    Code("not-utf8", ERROR, "load", "File is not UTF-8",
         "Records are UTF-8 text. The file has bytes that are not valid UTF-8 (often a "
         "file saved as Latin-1 or Windows-1252).",
         "Re-save the file as UTF-8 (your editor's 'Save with encoding' option)."),
    Code("empty-file", ERROR, "load", "File is empty",
         "The file has no YAML content, so it holds no record.",
         "Fill in the record (`forcewatch new` writes a template), or delete the file if it "
         "was never released; released records are retracted, not deleted."),
    Code("yaml-syntax", ERROR, "load", "YAML syntax error",
         "The file is not valid YAML. The message names the likely cause at the line of "
         "the mistake: a wrong indentation, a tab (YAML indents with spaces), a missing `- ` "
         "before a list item, an unclosed quote, a `: ` inside an unquoted value, text right "
         "after a closing quote. Some invalid YAML that other tools accept is refused too "
         "(`title: \"value\"# note`, which they read as `value`), so that a record means the "
         "same in every YAML reader.",
         "Follow the fix the message gives. Quote values that contain `: ` or start with a "
         "special character (`@`, `` ` ``, `%`, `&`, `*`, `!`, `[`, `{`)."),
    Code("yaml-unsupported", ERROR, "load", "YAML that the record reader cannot read",
         "The text is valid YAML, but the YAML reader forcewatch uses (libyaml, fast and "
         "strict about safety) does not support this construct, such as a tab after `-` or "
         "a value starting with `:` inside `[...]`. It is not your mistake; the construct "
         "just has a simpler spelling that every YAML reader understands.",
         "Write it the simple way the message gives (a space instead of the tab, the value "
         "in quotes). CONTRIBUTING.md lists the YAML features records may not use."),
    Code("yaml-duplicate-key", ERROR, "load", "Duplicate key",
         "The same key appears twice in one mapping. Most YAML loaders silently keep the "
         "last one, losing the first value; forcewatch refuses the file instead.",
         "Keep one of the two entries (merge their content if both hold data)."),
    Code("yaml-anchor", ERROR, "load", "YAML anchor or alias",
         "Anchors (`&name`) and aliases (`*name`) make one value appear in several places. "
         "They hide content from reviewers and can blow up in size ('billion laughs'), so "
         "records may not use them.",
         "Write the repeated value out in full where it is needed."),
    Code("yaml-tag", ERROR, "load", "YAML tag",
         "Explicit tags (`!!python/object`, `!!binary`, `!custom`, even `!!str`) are "
         "refused: no record may ask the loader to build special objects.",
         "Remove the tag. To keep a value as text, put it in quotes."),
    Code("yaml-multiple-documents", ERROR, "load", "More than one YAML document",
         "The file holds several YAML documents (separated by `---`). One file holds "
         "exactly one record.",
         "Move each record to a file of its own, named after its id."),
    Code("yaml-not-mapping", ERROR, "load", "Record is not a mapping",
         "The top level of a record file must be a mapping of field names to values.",
         "Start the file with `id: ...` and the other fields, one per line."),
    Code("yaml-bad-key", ERROR, "load", "Key is not plain text",
         "Mapping keys must be plain text field names. A list, a mapping or an empty value "
         "cannot be a key.",
         "Write the key as a plain word such as `title`."),
    # --- the record contract (JSON Schema) ------------------------------------------------
    Code("unknown-record-type", ERROR, "schema", "Unknown record type",
         "`record_type` is missing or not one of incident, actor, force_posture, site, tally, so "
         "the record cannot be checked against a schema.",
         "Set `record_type` to incident, actor, force_posture, site or tally."),
    Code("schema-version-unsupported", ERROR, "schema", "Schema version not supported",
         "The record targets a schema version this toolkit does not know: a newer version "
         "than the schema in `schema/VERSION`, or an older major version whose records "
         "need migrating.",
         "For an older major version run `forcewatch migrate`; for a newer one update "
         "forcewatch. Otherwise set `schema_version` to the version in `schema/VERSION`."),
    Code("missing-field", ERROR, "schema", "Required field missing",
         "A field the schema requires is absent. Required fields are what every user of the "
         "record relies on; a missing one cannot be filled by a default.",
         "Add the field; the codebook describes each field with examples."),
    Code("unknown-field", ERROR, "schema", "Unknown field",
         "The record has a field the schema does not define. Records are closed so that a "
         "misspelt field is never silently ignored.",
         "Fix the spelling (see the suggestion), or move the content to `notes`."),
    Code("wrong-type", ERROR, "schema", "Value has the wrong type",
         "The value is of the wrong kind (text where a number is expected, a single value "
         "where a list is expected, a count written with a decimal point such as `2.0`, ...).",
         "Write the value as the type given. Quote values that must stay text, like "
         "`schema_version: \"1.0.0\"`."),
    Code("unknown-term", ERROR, "schema", "Term not in the vocabulary",
         "The value is not one of the terms of the field's controlled vocabulary.",
         "Use one of the listed terms (see the suggestion); the codebook defines each. If "
         "no term fits, propose a new one in an issue."),
    Code("invalid-date", ERROR, "schema", "Date is not valid",
         "The value is not a real calendar date in `YYYY-MM-DD` form (e.g. 2024-02-30).",
         "Write an existing date as `YYYY-MM-DD`."),
    Code("invalid-url", ERROR, "schema", "URL is not valid",
         "A source URL must be an absolute http or https address.",
         "Copy the full address from the browser's address bar, starting with https://."),
    Code("invalid-format", ERROR, "schema", "Value does not match the expected pattern",
         "The value does not have the form the field requires (an id pattern, a time "
         "`HH:MM`, a country code of two capital letters, ...).",
         "Write the value in the form shown in the field's description and examples."),
    Code("out-of-range", ERROR, "schema", "Value out of range",
         "A number is outside the allowed range (a negative count, a latitude over 90).",
         "Check the number against its source."),
    Code("invalid-length", ERROR, "schema", "Text or list too short or too long",
         "A text or a list is shorter or longer than the schema allows (an empty list of "
         "sources, an excerpt over the length limit).",
         "Shorten or complete the value; excerpts quote at most about 25 words."),
    Code("schema-violation", ERROR, "schema", "Record breaks the schema",
         "The record breaks a rule of the schema not covered by a more specific code.",
         "Read the message and the field's entry in the codebook."),
    # --- per-record semantic checks -----------------------------------------------------------
    Code("bidi-control", ERROR, "record", "Invisible text-direction control",
         "A text (a title, a wording, a name, any field) holds a bidirectional control "
         "character: an embedding or override (U+202A to U+202E) or an isolate (U+2066 to "
         "U+2069). They are invisible, and can make text read differently from what it is in "
         "the docs, the CSV files and every viewer. Arabic or Hebrew script needs none: its "
         "direction comes with the letters, and is welcome in records.",
         "Delete the character (copy-paste from some pages brings it in; it is invisible in "
         "most editors, `grep -nP '[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]'` finds it)."),
    Code("estimate-order", ERROR, "record", "Low, best and high out of order",
         "An estimate must satisfy low <= best <= high.",
         "Check the figures against the source; swap or correct them."),
    Code("estimate-empty", ERROR, "record", "Estimate has no number",
         "The qualifier says the source gave a number (exact, at least, at most, "
         "approximately, range) but the estimate holds none.",
         "Add the number the source gives, or use qualifier `several`, `dozens` or "
         "`unknown` when it gives none."),
    Code("date-order", ERROR, "record", "Start after end",
         "A date range starts after it ends: the end of an incident's `when`, or of an "
         "actor relation, is earlier than its start.",
         "Swap the dates, or correct the one that is wrong."),
    Code("date-precision-mismatch", ERROR, "record", "Date range does not fit its precision",
         "The range from start to end does not fit the stated precision: a `day` has "
         "start = end, `few-days` spans at most 6 days, `week` at most 7, `month` stays "
         "inside one calendar month, `year` inside one year.",
         "Correct the range or choose the precision that matches it."),
    Code("unknown-country", ERROR, "record", "Unknown country code",
         "The country code is not an ISO 3166-1 alpha-2 code.",
         "Use the two-letter ISO code, e.g. IQ for Iraq, SY for Syria, JO for Jordan."),
    Code("unknown-source-key", ERROR, "record", "Figure cites an unknown source key",
         "A figure, claim or relation names a source key that is not the `key` of any of "
         "the record's `sources`, so it cannot be traced to a source.",
         "Use the key of one of the record's sources, or add the source."),
    Code("duplicate-source-key", ERROR, "record", "Two sources share a key",
         "Source keys must be unique within a record so that each figure points at one "
         "source.",
         "Give each source its own key."),
    Code("status-fields", ERROR, "record", "Status and its fields disagree",
         "A `retracted` record needs a `retraction_reason`, a `merged` record needs "
         "`merged_into`, and an active record has neither.",
         "Add the missing field, or remove the one that does not belong to the status."),
    Code("conflicting-figures", WARNING, "record", "Disagreeing figures without a preferred one",
         "Sources give different figures for the same thing (the same party and harm, or "
         "the same weapon) and none is marked `preferred: true` with a `reason`, or several are. "
         "Until one is, the harm summary counts the range the figures span.",
         "Mark the figure you consider best with `preferred: true` and say why in `reason`."),
    Code("breakdown-mismatch", ERROR, "record", "A tally's breakdown that does not fit the tally",
         "A tally's `breakdown` gives the parts of its count by country, or by site where the "
         "source splits it by base. Each country (or site) may have one part, and every part's "
         "country must be one of the tally's `countries`.",
         "Give each country or site one part; put `site` on each part of a split by base; add "
         "the country to `countries` or correct the part."),
    Code("whole-below-parts", WARNING, "record", "A whole below the sum of its parts",
         "Parties nest (the schema's `x-forcewatch-parts`: `us-personnel` is `us-military` plus "
         "`us-contractor`; `all` is every other party together), and the figure of a whole is "
         "smaller than the sum of its parts' figures: `all` injured 18 beside `armed-group-members` "
         "injured 24, or `all` 0 beside a part said to be harmed. Both cannot be right; the harm "
         "summary counts the parts. \"Several\" reads as at least 2, \"dozens\" as at least 24.",
         "Check the figures against their sources: move a figure counted under the wrong party, "
         "mark a whole that was an early or partial count `preferred: false` with a `reason`, or "
         "correct a part's figure the sources do not support."),
    Code("munition-weapon-mismatch", ERROR, "record", "Munition count for an unlisted weapon",
         "A munition count names a weapon that is not in the incident's `weapons`.",
         "Add the weapon to `weapons`, or correct the count's `weapon`."),
    Code("blank-field", ERROR, "schema", "Field left blank",
         "A field is present but has no value, as in a template from `forcewatch new` that "
         "has not been filled in yet. Unknown is not zero: a blank is neither.",
         "Fill in the value, or remove the field if it is optional and the source says nothing."),
    Code("date-in-future", ERROR, "record", "Date in the future",
         "An incident's date, a source's publication date or a posture's as-of date is later "
         "than today: the record cannot report it yet.",
         "Check the year and the month; dates are written YYYY-MM-DD."),
    Code("source-before-event", WARNING, "record", "Source published before the event",
         "A source of an incident was published before the incident's first possible day, "
         "so it cannot report it. It may be cited for background; then say so in its excerpt.",
         "Check the source's date and the incident's date; cite background sources on the "
         "record they report, or link the incidents instead."),
    Code("coordinates-outside-country", ERROR, "record", "Coordinates outside the stated country",
         "The coordinates fall outside the bounding box of the country the record states "
         "(boxes for the countries of the region are in forcewatch/countries.py).",
         "Check latitude and longitude (not swapped? not negative?) and the country code."),
    # --- dataset checks ---------------------------------------------------------------------
    Code("duplicate-id", ERROR, "dataset", "Id used twice",
         "Two record files declare the same id. Ids are unique across the dataset and are "
         "never reused.",
         "Give the newer record a new id."),
    Code("filename-mismatch", ERROR, "dataset", "File name does not match id",
         "A record's file is named after its id (`<id>.yaml`), so that links and diffs "
         "stay readable.",
         "Rename the file to `<id>.yaml`, or fix the id if the file name is right."),
    Code("wrong-folder", ERROR, "dataset", "Record in the wrong folder",
         "Records live in the folder of their type: incidents in `datasets/incidents/<year "
         "of id>/`, actors in `datasets/actors/`, force postures in "
         "`datasets/force_posture/`, sites in `datasets/sites/`, tallies in `datasets/tallies/`.",
         "Move the file to the folder given."),
    Code("unresolved-reference", ERROR, "dataset", "Reference to an unknown record",
         "A field refers to an actor, incident or site id that no record has.",
         "Fix the id (see the suggestion) or add the missing record."),
    Code("likely-duplicate", WARNING, "dataset", "Likely duplicate incident",
         "Another active incident has the same event type and an overlapping weapon (or an "
         "unknown one) on the same or an adjacent day, at the same site, the same place name "
         "or within the configured distance, and neither links to the other. It may be the "
         "same event reported twice.",
         "If it is the same event, merge the records (keep the better one, set `status: "
         "merged` and `merged_into` on the other); if not, tell them apart in the summaries "
         "and link them (e.g. `relation: same-wave`) with the source that reports both."),
    Code("posture-jump", WARNING, "dataset", "Implausible jump in a force-posture series",
         "Two consecutive figures for the same force in the same country differ by more than "
         "the configured ratio within the configured number of days.",
         "Check both figures against their sources; if both are right, say why in `notes`."),
    Code("record-deleted", WARNING, "dataset", "Record file deleted",
         "A record file that exists in the base revision was deleted. Released records are "
         "retracted or merged, never deleted, so that downstream copies can follow.",
         "Restore the file and set `status: retracted` with a `retraction_reason`, or "
         "`status: merged` with `merged_into`."),
    Code("deleted-record-referenced", ERROR, "dataset", "Deleted record is still referenced",
         "A record file was deleted while other records still refer to its id.",
         "Restore the record and retract or merge it instead of deleting it."),
    Code("site-not-referenced", WARNING, "dataset", "Place named like a known site, without the site",
         "The incident's place name is the name or an alias of a site record in the same country, but "
         "`place.site` is not set, so the incident gets none of the site's sourced coordinates and is "
         "not counted at the site.",
         "Add `site: <site id>` under `place`; if the place is another one of the same name, name it "
         "more precisely."),
    Code("reference-to-inactive", WARNING, "dataset", "Reference to a retracted or merged record",
         "A field refers to a record that has been retracted or merged. References should "
         "follow a merge to the surviving record.",
         "Point the reference at the record named in `merged_into`, or remove it."),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


def get(code: str) -> Code:
    return CATALOGUE[code]
