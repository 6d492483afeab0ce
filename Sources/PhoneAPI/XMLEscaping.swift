/// XML escaping for element text (also used by phonesim for its replies).
public enum XMLEscaping {
    /// `&`, `<` and `>` as entities; quotes stay literal because the phone reads
    /// `URI="..."` out of the text itself. By scalar, not `Character`: a `<`
    /// followed by a combining mark is one `Character` that is not `"<"`, and
    /// would otherwise go out raw.
    public static func text(_ raw: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
