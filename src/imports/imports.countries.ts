// Which side of the EEA border a data location typed in a spreadsheet lies on. The register itself keeps the
// country as free text beside an explicit "binnen de EER" (ja/nee/onbekend); an import must not let the two
// contradict each other silently ("Verenigde Staten", binnen de EER: ja). Country names come from the ICU data
// Node ships (Dutch and English), ISO 3166 codes and a few common short forms; anything else is not judged.
import { normaliseHeading } from "./imports.fields";

/** The EEA: the 27 EU member states and Iceland, Liechtenstein and Norway (EEA Agreement, art. 126). */
const EEA = new Set([
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
  "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
  // Parts of member states that are EU territory: the outermost regions, Åland, the Canary Islands, Ceuta and Melilla.
  "GF", "GP", "MQ", "RE", "YT", "MF", "AX", "IC", "EA",
  // The EU itself ("EU" typed as a location means: somewhere inside it).
  "EU",
]);

/** Region codes that name no country (groupings, pseudo-locales, "unknown"): a location written so is not judged. */
const NOT_A_COUNTRY = new Set(["EZ", "UN", "QO", "XA", "XB", "ZZ"]);

/** Short forms boards write that ICU does not list. */
const EXTRA: Record<string, string> = {
  vs: "US",
  usa: "US",
  amerika: "US",
  "verenigde staten van amerika": "US",
  "united states of america": "US",
  engeland: "GB",
  england: "GB",
  schotland: "GB",
  wales: "GB",
  "groot brittannie": "GB",
  "great britain": "GB",
  holland: "NL",
  "europese unie": "EU",
  "european union": "EU",
  eer: "EU",
  eea: "EU",
};

export type EeaSide = "inside" | "outside";

let names: Map<string, EeaSide> | undefined;

/** Every region name (nl and en) and code, with its side; a name two codes share is inside if one of them is. */
function regionNames(): Map<string, EeaSide> {
  if (names) return names;
  const map = new Map<string, EeaSide>();
  const put = (key: string, side: EeaSide) => {
    if (key && map.get(key) !== "inside") map.set(key, side);
  };
  const displays = ["nl", "en"].map((locale) => new Intl.DisplayNames([locale], { type: "region", fallback: "none" }));
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_A_COUNTRY.has(code)) continue;
      const side: EeaSide = EEA.has(code) ? "inside" : "outside";
      let known = false;
      for (const display of displays) {
        let name: string | undefined;
        try {
          name = display.of(code);
        } catch {
          name = undefined;
        }
        if (!name || name === code) continue;
        known = true;
        put(normaliseHeading(name), side);
      }
      if (known) put(code.toLowerCase(), side);
    }
  }
  for (const [name, code] of Object.entries(EXTRA)) put(name, EEA.has(code) ? "inside" : "outside");
  names = map;
  return map;
}

/**
 * The side of the EEA a location lies on: "outside" when any country it names lies outside ("Ierland / Verenigde
 * Staten"), "inside" when every country it names lies inside, undefined when it names no country the register
 * recognises ("Europa", "de cloud", a city).
 */
export function eeaSideOf(location: string): EeaSide | undefined {
  const map = regionNames();
  const parts = location
    .split(/[/,;&+|()[\]]|\s+(?:en|and|of|or)\s+/i)
    .map(normaliseHeading)
    .filter(Boolean);
  const sides = parts.map((part) => map.get(part)).filter((side): side is EeaSide => side !== undefined);
  if (sides.includes("outside")) return "outside";
  return sides.length ? "inside" : undefined;
}
