"""Progress bars: shown for long runs on a terminal, silent otherwise."""

import io

from forcewatch.progress import LONG_RUN, progress_bar


def test_a_long_run_on_a_terminal_shows_a_bar():
    from rich.console import Console
    out = io.StringIO()
    advance, stop = progress_bar(LONG_RUN, True, "building the release tables",
                                 console=Console(file=out, force_terminal=True, width=80))
    advance(LONG_RUN)
    stop()
    assert "building the release tables" in out.getvalue()


def test_silent_when_not_asked_or_short(capsys):
    for total, enabled in ((LONG_RUN, False), (LONG_RUN - 1, True)):
        advance, stop = progress_bar(total, enabled, "x")
        advance(total)
        stop()
    assert capsys.readouterr() == ("", "")


def test_build_asks_for_bars_only_on_an_interactive_terminal_in_text_format(monkeypatch):
    """`--format json`, pipes and CI get none."""
    import sys

    import forcewatch.release.build as build_module
    from forcewatch import cli
    seen = []

    def fake_build(root, **options):
        seen.append(options["progress"])
        raise SystemExit(0)

    monkeypatch.setattr(build_module, "build", fake_build)

    def run(argv, tty, ci):
        monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
        if ci:
            monkeypatch.setenv("CI", "true")
        else:
            monkeypatch.delenv("CI", raising=False)
        try:
            cli.main(argv)
        except SystemExit:
            pass
        return seen[-1]

    assert run(["build"], tty=True, ci=False) is True
    assert run(["build", "--format", "json"], tty=True, ci=False) is False
    assert run(["build"], tty=False, ci=False) is False
    assert run(["build"], tty=True, ci=True) is False
