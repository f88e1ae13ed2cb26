"""A rich progress bar for long runs on an interactive terminal; silent everywhere else
(CI, pipes, `--format json`). rich is imported only when a bar is shown."""

from __future__ import annotations

LONG_RUN = 5000  # items below which a run is over before a bar would help


def progress_bar(total: int, enabled: bool, description: str, console=None):
    """(advance(n), stop()) for a run of `total` items; both do nothing unless `enabled` and
    the run is long."""
    if not enabled or total < LONG_RUN:
        return (lambda n: None), (lambda: None)
    from rich.progress import Progress
    bar = Progress(transient=True, console=console)
    bar.start()
    task = bar.add_task(description, total=total)
    return (lambda n: bar.advance(task, n)), bar.stop
