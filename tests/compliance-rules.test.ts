// The compliance rules as pure functions: each rule triggered, just inside and just outside its threshold,
// and the combinations that decide the colour.
import { evaluate, type AgreementFacts, type ApplicationFacts, type RuleSettings } from "../src/compliance/rules";

const TODAY = "2026-11-21";
const settings: RuleSettings = { agreementWarningDays: 90, reviewIntervalMonths: 12, oldestCurrentModel: "3.0" };
const contact = { id: 1, label: "Contactgegevens", flag: null, minConfidentiality: "midden" as const };
const health = { id: 5, label: "Medische gegevens", flag: "bijzonder", minConfidentiality: "hoog" as const };
const bsn = { id: 13, label: "BSN", flag: "nationaal_id", minConfidentiality: "hoog" as const };

function agreement(overrides: Partial<AgreementFacts> = {}): AgreementFacts {
  return { id: 7, reference: "VO-1", status: "ondertekend", model: "4.0", signedOn: "2026-01-01", startsOn: "2026-01-01", endsOn: null, nextReviewOn: "2027-01-01", categoryIds: [1, 5, 13], ...overrides };
}

/** An application that is in order; each test breaks one thing. */
function app(overrides: Partial<ApplicationFacts> = {}): ApplicationFacts {
  return {
    id: 3,
    name: "Testapp",
    lifecycle: "in_gebruik",
    archived: false,
    processesPersonalData: true,
    dataInEea: true,
    transferMechanism: null,
    categories: [contact],
    agreements: [agreement()],
    classification: { availability: "midden", integrity: "midden", confidentiality: "midden", assessedOn: "2026-06-01", nextReviewOn: "2027-06-01" },
    missingMeasures: 0,
    dpiaRequired: "nee",
    dpiaStatus: "niet_gestart",
    openBreaches: 0,
    ...overrides,
  };
}

const rules = (facts: ApplicationFacts, today = TODAY) => evaluate(facts, settings, today).findings.map((f) => f.rule);
const status = (facts: ApplicationFacts, today = TODAY) => evaluate(facts, settings, today).status;

describe("grey", () => {
  it("is grey without personal data, when retired or archived, whatever else is missing", () => {
    expect(status(app({ processesPersonalData: false, agreements: [], classification: null }))).toBe("grey");
    expect(status(app({ lifecycle: "uitgefaseerd", agreements: [] }))).toBe("grey");
    expect(status(app({ archived: true, agreements: [] }))).toBe("grey");
  });
});

describe("green", () => {
  it("is green when nothing is found", () => {
    expect(evaluate(app(), settings, TODAY)).toEqual({ status: "green", findings: [] });
  });
});

describe("red rules", () => {
  it("finds no agreement when none is current, also for one not signed yet or not started", () => {
    expect(rules(app({ agreements: [] }))).toEqual(["no_agreement"]);
    expect(rules(app({ agreements: [agreement({ status: "in_beoordeling" })] }))).toEqual(["no_agreement"]);
    expect(rules(app({ agreements: [agreement({ startsOn: "2026-11-22" })] }))).toEqual(["no_agreement"]);
    expect(rules(app({ agreements: [agreement({ startsOn: "2026-11-21" })] }))).toEqual([]);
  });

  it("finds an expired agreement on its last day plus one, not on its last day", () => {
    expect(rules(app({ agreements: [agreement({ endsOn: "2026-11-20" })] }))).toContain("agreement_expired");
    expect(rules(app({ agreements: [agreement({ endsOn: "2026-11-21" })] }))).not.toContain("agreement_expired");
    expect(rules(app({ agreements: [agreement({ status: "verlopen", endsOn: "2026-10-01" })] }))).toEqual(["agreement_expired"]);
  });

  it("finds processed categories that no current agreement covers", () => {
    const f = evaluate(app({ categories: [contact, health], agreements: [agreement({ categoryIds: [1] })], dpiaRequired: "ja", dpiaStatus: "afgerond", classification: { availability: "laag", integrity: "laag", confidentiality: "hoog", assessedOn: "2026-06-01", nextReviewOn: "2027-06-01" } }), settings, TODAY);
    expect(f.findings.map((x) => x.rule)).toEqual(["categories_not_covered"]);
    expect(f.findings[0]!.params.categories).toBe("Medische gegevens");
    expect(f.findings[0]!.fix).toBe("/applications/3#gegevens");
  });

  it("counts only current agreements for coverage: an expired one covering the category does not help", () => {
    const covered = [agreement({ categoryIds: [1] }), agreement({ id: 8, categoryIds: [1, 5], endsOn: "2026-01-01" })];
    expect(rules(app({ categories: [contact, health], agreements: covered, dpiaRequired: "ja", dpiaStatus: "afgerond" }))).toContain("categories_not_covered");
  });

  it("finds a missing classification", () => {
    expect(rules(app({ classification: null }))).toEqual(["no_classification"]);
  });

  it("finds special categories or BSN without a DPIA decision, but not with one", () => {
    const high = { availability: "midden" as const, integrity: "midden" as const, confidentiality: "hoog" as const, assessedOn: "2026-06-01", nextReviewOn: "2027-06-01" };
    expect(rules(app({ categories: [health], dpiaRequired: null, classification: high }))).toEqual(["special_data_without_dpia"]);
    expect(rules(app({ categories: [bsn], dpiaRequired: "onbekend", classification: high }))).toEqual(["special_data_without_dpia"]);
    expect(rules(app({ categories: [bsn], dpiaRequired: "nee", classification: high }))).toEqual([]);
    expect(rules(app({ categories: [contact], dpiaRequired: null }))).toEqual([]);
  });

  it("is red with no_data_recorded when an application processes personal data but records no categories", () => {
    expect(rules(app({ categories: [], agreements: [agreement({ categoryIds: [] })] }))).toEqual(["no_data_recorded"]);
    expect(evaluate(app({ categories: [], agreements: [agreement({ categoryIds: [] })] }), settings, TODAY).status).toBe("red");
  });

  it("finds data outside the EEA without a transfer mechanism at every confidentiality level", () => {
    const high = { availability: "midden" as const, integrity: "midden" as const, confidentiality: "hoog" as const, assessedOn: "2026-06-01", nextReviewOn: "2027-06-01" };
    expect(rules(app({ classification: high, dataInEea: false, transferMechanism: null }))).toEqual(["outside_eea_without_mechanism"]);
    expect(rules(app({ classification: high, dataInEea: false, transferMechanism: "geen" }))).toEqual(["outside_eea_without_mechanism"]);
    expect(rules(app({ classification: high, dataInEea: false, transferMechanism: "dpf" }))).toEqual([]);
    // The default application is V midden: chapter V of the AVG applies below "hoog" too.
    expect(rules(app({ dataInEea: false, transferMechanism: null }))).toEqual(["outside_eea_without_mechanism"]);
    expect(rules(app({ dataInEea: false, transferMechanism: "geen" }))).toEqual(["outside_eea_without_mechanism"]);
    expect(rules(app({ dataInEea: false, transferMechanism: "dpf" }))).toEqual([]);
  });
});

describe("orange rules", () => {
  it("warns about an agreement ending within the warning period, up to and including its last day", () => {
    expect(rules(app({ agreements: [agreement({ endsOn: "2027-02-19" })] }))).toEqual(["agreement_expiring"]); // today + 90
    expect(rules(app({ agreements: [agreement({ endsOn: "2027-02-20" })] }))).toEqual([]); // today + 91
    expect(rules(app({ agreements: [agreement({ endsOn: "2026-11-21" })] }))).toEqual(["agreement_expiring"]);
  });

  it("follows the warning period setting", () => {
    const short = { ...settings, agreementWarningDays: 30 };
    expect(evaluate(app({ agreements: [agreement({ endsOn: "2027-01-15" })] }), short, TODAY).status).toBe("green");
  });

  it("warns when the classification review is past its date, not on the date itself", () => {
    const c = (nextReviewOn: string) => ({ availability: "midden" as const, integrity: "midden" as const, confidentiality: "midden" as const, assessedOn: "2025-11-20", nextReviewOn });
    expect(rules(app({ classification: c("2026-11-20") }))).toEqual(["classification_overdue"]);
    expect(rules(app({ classification: c("2026-11-21") }))).toEqual([]);
  });

  it("warns when an agreement review is overdue, falling back to the interval after signing when no date is set", () => {
    expect(rules(app({ agreements: [agreement({ nextReviewOn: "2026-11-20" })] }))).toEqual(["agreement_review_overdue"]);
    expect(rules(app({ agreements: [agreement({ nextReviewOn: null, signedOn: "2025-11-20" })] }))).toEqual(["agreement_review_overdue"]);
    expect(rules(app({ agreements: [agreement({ nextReviewOn: null, signedOn: "2025-11-21" })] }))).toEqual([]);
  });

  it("warns when the classification is lower than the data categories imply", () => {
    const f = evaluate(app({ categories: [contact, health], dpiaRequired: "ja", dpiaStatus: "afgerond" }), settings, TODAY);
    expect(f.findings.map((x) => x.rule)).toEqual(["classification_too_low"]);
    expect(f.findings[0]!.params).toMatchObject({ chosen: "midden", implied: "hoog", categories: "Medische gegevens" });
  });

  it("warns about required measures that are missing", () => {
    expect(rules(app({ missingMeasures: 2 }))).toEqual(["measures_missing"]);
  });

  it("warns about an agreement on a model older than 3.0, not about 3.0, the general or an own model", () => {
    expect(rules(app({ agreements: [agreement({ model: "2.0" })] }))).toEqual(["old_agreement_model"]);
    for (const model of ["3.0", "algemeen", "eigen"]) expect(rules(app({ agreements: [agreement({ model })] }))).toEqual([]);
  });

  it("warns about an open breach", () => {
    expect(rules(app({ openBreaches: 1 }))).toEqual(["open_breach"]);
  });

  it("warns when a DPIA is decided to be needed but is not completed, until it is", () => {
    expect(rules(app({ dpiaRequired: "ja", dpiaStatus: "niet_gestart" }))).toEqual(["dpia_not_done"]);
    expect(rules(app({ dpiaRequired: "ja", dpiaStatus: "in_uitvoering" }))).toEqual(["dpia_not_done"]);
    expect(rules(app({ dpiaRequired: "ja", dpiaStatus: "afgerond" }))).toEqual([]);
    expect(rules(app({ dpiaRequired: "nee", dpiaStatus: "niet_gestart" }))).toEqual([]);
    expect(rules(app({ dpiaRequired: "onbekend", dpiaStatus: "niet_gestart" }))).toEqual([]);
  });

  it("lets a DPIA in progress answer the red rule for special categories, with the orange one instead", () => {
    const high = { availability: "midden" as const, integrity: "midden" as const, confidentiality: "hoog" as const, assessedOn: "2026-06-01", nextReviewOn: "2027-06-01" };
    const f = evaluate(app({ categories: [health], classification: high, dpiaRequired: "ja", dpiaStatus: "in_uitvoering" }), settings, TODAY);
    expect(f).toMatchObject({ status: "orange", findings: [{ rule: "dpia_not_done", severity: "orange", fix: "/applications/3#dpia" }] });
  });
});

describe("colour", () => {
  it("is red as soon as one red finding exists, whatever the orange ones", () => {
    expect(status(app({ classification: null, openBreaches: 1, agreements: [agreement({ model: "2.0" })] }))).toBe("red");
  });

  it("is orange with only orange findings", () => {
    expect(status(app({ openBreaches: 2, missingMeasures: 1 }))).toBe("orange");
  });
});
