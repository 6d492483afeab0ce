/// A SIP request or response (RFC 3261 §7): start line, header fields and
/// body. Parsing is in `SIPMessage+Parsing.swift`, the wire form in
/// `SIPMessage+Serialization.swift`.
public struct SIPMessage: Sendable, Hashable {
    /// The first line: `METHOD uri SIP/2.0` or `SIP/2.0 code reason`.
    public enum StartLine: Sendable, Hashable {
        case request(method: String, uri: String)
        case response(status: Int, reason: String)
    }

    public var startLine: StartLine
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(startLine: StartLine, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.startLine = startLine
        self.headers = headers
        self.body = body
    }

    /// A request `method uri SIP/2.0`.
    public static func request(_ method: String, uri: String, headers: SIPHeaders = SIPHeaders()) -> SIPMessage {
        SIPMessage(startLine: .request(method: method, uri: uri), headers: headers)
    }

    /// A response `SIP/2.0 status reason`.
    public static func response(_ status: Int, reason: String? = nil, headers: SIPHeaders = SIPHeaders()) -> SIPMessage {
        SIPMessage(startLine: .response(status: status, reason: reason ?? SIPMessage.reason(for: status)), headers: headers)
    }

    /// The request method, nil for a response.
    public var method: String? {
        if case let .request(method, _) = startLine { return method }
        return nil
    }

    /// The status code, nil for a request.
    public var status: Int? {
        if case let .response(status, _) = startLine { return status }
        return nil
    }

    /// The `CSeq` number and method (`"2 REGISTER"` gives `(2, "REGISTER")`).
    public var cseq: (number: Int, method: String)? {
        guard let value = headers["CSeq"] else { return nil }
        let parts = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2, let number = Int(parts[0]) else { return nil }
        return (number, String(parts[1]).uppercased())
    }

    /// The `branch` parameter of the topmost Via (the transaction key).
    public var topViaBranch: String? {
        guard let via = headers["Via"] else { return nil }
        let first = SIPHeaderValue.splitList(via).first ?? via
        return SIPHeaderValue.parameter("branch", in: first)
    }

    /// The usual reason phrase of a status code.
    public static func reason(for status: Int) -> String {
        switch status {
        case 100: return "Trying"
        case 180: return "Ringing"
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 423: return "Interval Too Brief"
        case 500: return "Server Internal Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        default: return status < 300 ? "OK" : "Error"
        }
    }
}
