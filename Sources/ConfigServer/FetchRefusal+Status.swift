import NIOHTTP1

/// The HTTP status each refusal is answered with.
extension FetchRefusal {
    public var status: HTTPResponseStatus {
        switch self {
        case .badPath: .badRequest
        case .method: .methodNotAllowed
        case .notFound, .zeroMAC, .unknownDevice, .noTemplate, .noFirmware: .notFound
        case .notLeasedIP, .userAgentMismatch: .forbidden
        case .digestMissing, .digestBad, .digestReplay: .unauthorized
        case .digestThrottled: .tooManyRequests
        case .renderError: .internalServerError
        }
    }
}
