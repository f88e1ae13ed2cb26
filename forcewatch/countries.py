"""ISO 3166-1 alpha-2 country codes, and the English names of the ones in the dataset's region."""

ISO_ALPHA2 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

REGION_NAMES = {
    "IQ": "Iraq", "SY": "Syria", "JO": "Jordan", "LB": "Lebanon", "IL": "Israel", "IR": "Iran",
    "YE": "Yemen", "KW": "Kuwait", "SA": "Saudi Arabia", "TR": "Turkey", "PS": "Palestine",
    "QA": "Qatar", "BH": "Bahrain", "AE": "United Arab Emirates", "US": "United States",
}

# Bounding boxes (min lat, min lon, max lat, max lon) of the region's countries, generous by
# about 0.1 degree: a point outside its country's box is certainly outside the country.
BOUNDING_BOXES = {
    "IQ": (29.0, 38.7, 37.5, 48.7), "SY": (32.2, 35.6, 37.4, 42.5), "JO": (29.1, 34.8, 33.5, 39.4),
    "LB": (32.95, 35.0, 34.8, 36.75), "IL": (29.35, 34.15, 33.45, 36.0), "PS": (31.1, 34.1, 32.65, 35.7),
    "IR": (24.9, 43.9, 39.9, 63.5), "YE": (12.0, 42.4, 19.1, 54.7), "KW": (28.4, 46.45, 30.2, 48.55),
    "SA": (16.2, 34.4, 32.3, 55.8), "TR": (35.7, 25.5, 42.3, 45.0), "QA": (24.3, 50.6, 26.3, 51.8),
    "BH": (25.4, 50.2, 26.45, 50.95), "AE": (22.5, 51.4, 26.2, 56.5),
}
