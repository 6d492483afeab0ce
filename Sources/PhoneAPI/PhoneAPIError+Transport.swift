import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thrown by `Deadline.run` when the request's deadline passes first.
struct DeadlineReached: Error {}

extension PhoneAPIError {
    /// The error of a failed transport (AsyncHTTPClient, NIO, TLS) as a
    /// `PhoneAPIError`. Only fixed texts are kept: the underlying errors'
    /// descriptions may quote URLs or header values.
    static func transport(_ error: any Error) -> PhoneAPIError {
        switch error {
        case let error as PhoneAPIError:
            return error
        case is DeadlineReached:
            return .timeout
        case is CancellationError:
            return .cancelled
        case let error as HTTPClientError:
            return client(error)
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .unreachable("host not found")
            }
            return error.connectionErrors.first.map { transport($0.error) } ?? .unreachable("connection failed")
        case let error as IOError:
            return posix(error.errnoCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return .timeout }
            return .unreachable("connection closed")
        case is NIOSSLError, is BoringSSLError:
            return .unreachable("TLS handshake failed")
        default:
            return .unreachable("connection failed (\(type(of: error)))")
        }
    }

    private static func client(_ error: HTTPClientError) -> PhoneAPIError {
        switch error {
        case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
             .getConnectionFromPoolTimeout:
            .timeout
        case .cancelled:
            .cancelled
        case .remoteConnectionClosed:
            .unreachable("connection closed")
        case .invalidURL, .emptyHost, .emptyScheme:
            .unreachable("invalid endpoint")
        default:
            .unreachable("HTTP protocol error")
        }
    }

    private static func posix(_ code: CInt) -> PhoneAPIError {
        switch code {
        case ECONNREFUSED: .unreachable("connection refused")
        case ECONNRESET, EPIPE: .unreachable("connection reset")
        case EHOSTUNREACH: .unreachable("no route to host")
        case ENETUNREACH: .unreachable("network unreachable")
        case ETIMEDOUT: .timeout
        default: .unreachable("I/O error \(code)")
        }
    }
}
