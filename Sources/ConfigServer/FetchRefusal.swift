import NIOHTTP1

/// Why a phone's request was not served: logged, counted, and recorded in
/// the device's events when the device is known.
public enum FetchRefusal: String, Sendable, CaseIterable {
    case badPath = "bad-path"
    case method
    case notFound = "not-found"
    case zeroMAC = "zero-mac"
    case unknownDevice = "unknown-device"
    case notLeasedIP = "not-leased-ip"
    case userAgentMismatch = "user-agent-mismatch"
    case digestMissing = "digest-missing"
    case digestBad = "digest-bad"
    case noTemplate = "no-template"
    case noFirmware = "no-firmware"
    case renderError = "render-error"

    public var status: HTTPResponseStatus {
        switch self {
        case .badPath: .badRequest
        case .method: .methodNotAllowed
        case .notFound, .zeroMAC, .unknownDevice, .noTemplate, .noFirmware: .notFound
        case .notLeasedIP, .userAgentMismatch: .forbidden
        case .digestMissing, .digestBad: .unauthorized
        case .renderError: .internalServerError
        }
    }
}
