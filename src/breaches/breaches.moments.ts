// Moments of a breach (discovered, notified, closed) as people enter them: <input type="datetime-local">
// sends "YYYY-MM-DDTHH:MM" without a zone, which here is Dutch time (the board's). Stored as epoch
// milliseconds. Summer time makes one hour a year ambiguous and one hour not exist: the first is read as
// the earlier moment, the second is refused. The conversion itself lives with the rest of Amsterdam time.
export { fromLocalInput, toLocalInput } from "../lib/amsterdam";
