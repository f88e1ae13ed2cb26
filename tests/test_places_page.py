"""The gazetteer page lists every site, with its coordinates' source or the plain fact that no
source read gives them."""

from forcewatch.site.data import Data
from forcewatch.site.pages import load_records
from forcewatch.site.placespage import places_page

from .conftest import REPO


def test_every_site_is_listed_with_its_coordinates_or_their_absence():
    records, problems = load_records(REPO)
    assert not problems
    data = Data(records)
    page = places_page(data)
    for sid, site in data.sites.items():
        assert f"<code>{sid}</code>" in page
    without = [s for s in data.sites.values() if not s.get("coordinates")]
    assert page.count("none recorded: no source read gives them") == len(without)
    assert f"{len(data.sites) - len(without)} have WGS84 coordinates" in page
