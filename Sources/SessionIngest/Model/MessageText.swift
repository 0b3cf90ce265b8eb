/// Text from an input quoted in a message (standard error, the log file, check's report):
/// never a control character that a terminal would act on (an escape sequence could clear the
/// screen or rewrite the line), never a direction override, never more than `limit`
/// characters. Only for values that are not patient data (exercise names, column headers,
/// therapist and clinic names); patient data is never quoted at all.
public enum MessageText {
    public static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var characters = 0, scalars = 0
        for ch in text {
            // A character may carry any number of accents: count those too.
            scalars += ch.unicodeScalars.count
            if characters == limit || scalars > 4 * limit { out += "…"; break }
            let unsafe = ch.unicodeScalars.contains { u in
                let v = u.value
                return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            }
            out += unsafe ? "\u{FFFD}" : String(ch)
            characters += 1
        }
        return "'" + out + "'"
    }
}
