#!/usr/bin/env python3
"""Write forcewatch/release/crs84.projjson.json: OGC:CRS84 as PROJJSON, from PROJ's database
(pyproj), for the `geo` metadata of incidents.geoparquet. Run once; the file is committed so
that builds need no PROJ and stay byte-identical.

    pip install pyproj && python3 scripts/make_crs84_projjson.py
"""

import json
from pathlib import Path

from pyproj import CRS

target = Path(__file__).resolve().parent.parent / "forcewatch" / "release" / "crs84.projjson.json"
target.write_text(json.dumps(CRS.from_string("OGC:CRS84").to_json_dict(), indent=2, sort_keys=True) + "\n",
                  encoding="utf-8")
print(f"wrote {target}")
