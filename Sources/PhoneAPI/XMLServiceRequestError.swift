/// Why a request could not be built. Values (which may be passwords) and
/// execute URIs (which may carry shell commands) are never included.
public enum XMLServiceRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    case noItems(command: String)
    case invalidKey(String)
    case invalidValue(key: String)
    case invalidURI

    public var description: String {
        switch self {
        case let .noItems(command):
            "an xmlService \(command) request needs at least one item"
        case let .invalidKey(key):
            "the key \(String(reflecting: key)) is not a phone key: wanted no '=', whitespace or control character"
        case let .invalidValue(key):
            "the value for \(key) has a control character, which the phone cannot read"
        case .invalidURI:
            "the execute URI is empty or has a '\"' or a control character"
        }
    }
}
