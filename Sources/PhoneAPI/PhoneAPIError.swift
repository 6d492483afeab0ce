/// Why an xmlService exchange with a phone failed.
///
/// A reply that parses but carries a RetCode other than 0 is not an error of
/// `PhoneAPIClient.send`: the caller decides what a RetCode means.
///
/// No case carries a password, an `Authorization` header value or any part of
/// a reply body (a `get` reply may hold passwords): descriptions are safe to
/// log and to store as a job's last error.
public enum PhoneAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete reply within the request's deadline (connect, TLS, request
    /// and reply together).
    case timeout
    /// The phone could not be reached or dropped the connection: a short,
    /// fixed text such as `connection refused`, never a reply or a header.
    case unreachable(String)
    /// The phone asked for credentials and refused the ones sent (or none
    /// were given, or its challenge was not one this client can answer).
    case authRefused(status: Int)
    /// The phone asked for HTTP Basic over plain `http`, and the call did
    /// not allow it (`PhoneCredentials.basicOverHTTP`): nothing was sent,
    /// the password would have crossed the network in clear.
    case basicOverHTTP
    /// The phone answered with an HTTP status other than 200 (and not a 401
    /// handled above).
    case httpStatus(Int)
    /// The reply body could not be read as an xmlService reply.
    case badReply(XMLServiceReplyError)
    /// The request could not be built (a bad key, value or URI).
    case request(XMLServiceRequestError)
    /// The calling task was cancelled.
    case cancelled

    /// A stable, short machine token for metrics, job records and logs:
    /// `timeout`, `unreachable`, `auth_refused`, `basic_over_http`, `http_404`, `bad_reply`,
    /// `bad_request`, `cancelled`.
    public var reason: String {
        switch self {
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .authRefused: "auth_refused"
        case .basicOverHTTP: "basic_over_http"
        case let .httpStatus(status): "http_\(status)"
        case .badReply: "bad_reply"
        case .request: "bad_request"
        case .cancelled: "cancelled"
        }
    }

    public var description: String {
        switch self {
        case .timeout:
            "the phone did not answer within the deadline"
        case let .unreachable(why):
            "the phone is unreachable: \(why)"
        case let .authRefused(status):
            "the phone refused the xmlService credentials (HTTP \(status))"
        case .basicOverHTTP:
            "the phone asks for HTTP Basic over plain http, which would send its password in clear: not answered "
                + "(use api_scheme: https, or list the device's group in post_provision.basic_over_http_groups)"
        case let .httpStatus(status):
            "the phone answered HTTP \(status), wanted 200"
        case let .badReply(error):
            error.description
        case let .request(error):
            error.description
        case .cancelled:
            "the xmlService request was cancelled"
        }
    }
}
