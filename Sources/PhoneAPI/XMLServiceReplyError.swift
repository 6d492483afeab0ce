/// Why a reply body could not be read at all. A reply that parses but carries
/// a RetCode other than 0 is not an error here: that is the caller's decision.
///
/// No case carries reply content: a `get` reply may hold passwords.
public enum XMLServiceReplyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body was empty.
    case empty
    /// The body is larger than `XMLServiceReply.maximumReplySize`.
    case tooLarge(size: Int, limit: Int)
    /// libxml2, even in recover mode, found no root element.
    case notXML

    public var description: String {
        switch self {
        case .empty:
            "the phone's reply is empty, wanted an XML document"
        case let .tooLarge(size, limit):
            "the phone's reply is \(size) bytes, wanted at most \(limit)"
        case .notXML:
            "the phone's reply has no XML root element, even read leniently"
        }
    }
}
