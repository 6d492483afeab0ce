/// Why bytes are not a SIP message.
public enum SIPParseError: Error, Sendable, Hashable {
    /// Nothing but blank lines (a keep-alive).
    case empty
    /// Larger than `SIPMessage.maximumSize`.
    case tooLarge(Int)
    /// The header section is not UTF-8 text.
    case notText
    /// No blank line ends the header section.
    case unterminatedHeaders
    /// The first line is neither a request nor a status line.
    case badStartLine(String)
    /// A header line without a colon or with an empty name.
    case badHeader(String)
    /// More header lines than `SIPMessage.maximumHeaderCount`.
    case tooManyHeaders
    /// A Content-Length that is not a non-negative number.
    case badContentLength(String)
    /// Content-Length announces more bytes than arrived.
    case truncatedBody(expected: Int, actual: Int)
}
