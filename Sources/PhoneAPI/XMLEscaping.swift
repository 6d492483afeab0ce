/// XML escaping for element text (also used by phonesim for its replies).
public enum XMLEscaping {
    /// `&`, `<` and `>` as entities; quotes stay literal because the phone reads
    /// `URI="..."` out of the text itself.
    public static func text(_ raw: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(raw.utf8.count)
        for character in raw {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
