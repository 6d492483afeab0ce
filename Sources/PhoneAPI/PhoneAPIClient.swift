/// A client of the phones' HTTP API, `POST /xmlService` (FANVIL.md §4).
///
/// `HTTPPhoneAPIClient` is the real one; the protocol lets the
/// post-provisioning jobs run against a stand-in in their own tests.
public protocol PhoneAPIClient: Sendable {
    /// Sends one request to one phone and reads its reply.
    ///
    /// - Parameter credentials: the phone's web admin account, sent only when
    ///   the phone asks for it (or asked before); `nil` to send none.
    /// - Returns: the parsed reply, whatever its RetCode.
    func send(
        _ request: XMLServiceRequest, to endpoint: PhoneEndpoint, credentials: PhoneCredentials?
    ) async throws(PhoneAPIError) -> XMLServiceReply

    /// The SHA-256 fingerprint (`AB:CD:...`) of the certificate the phone
    /// presents at an `https` endpoint, read without sending it anything
    /// else; nil for `http` (or a client that cannot tell).
    func certificateFingerprint(of endpoint: PhoneEndpoint) async throws(PhoneAPIError) -> String?
}

extension PhoneAPIClient {
    public func certificateFingerprint(of endpoint: PhoneEndpoint) async throws(PhoneAPIError) -> String? { nil }
}

extension PhoneAPIClient {
    /// `cmd="get"` of keys (`sip.line.1.` for a subtree, `.` for everything).
    public func get(
        _ keys: [String], from endpoint: PhoneEndpoint, credentials: PhoneCredentials?, beep: Bool = false
    ) async throws(PhoneAPIError) -> XMLServiceReply {
        try await send(build { () throws(XMLServiceRequestError) in try .get(keys, beep: beep) },
                       to: endpoint, credentials: credentials)
    }

    /// `cmd="set"` of `key = value` items, in order.
    public func set(
        _ items: [(String, String)], on endpoint: PhoneEndpoint, credentials: PhoneCredentials?, beep: Bool = false
    ) async throws(PhoneAPIError) -> XMLServiceReply {
        let labelled = items.map { (key: $0.0, value: $0.1) }
        return try await send(build { () throws(XMLServiceRequestError) in try .set(labelled, beep: beep) },
                              to: endpoint, credentials: credentials)
    }

    /// `cmd="del"` of keys (`mmifilter.1` one entry, `mmifilter.` the list).
    public func del(
        _ keys: [String], on endpoint: PhoneEndpoint, credentials: PhoneCredentials?, beep: Bool = false
    ) async throws(PhoneAPIError) -> XMLServiceReply {
        try await send(build { () throws(XMLServiceRequestError) in try .del(keys, beep: beep) },
                       to: endpoint, credentials: credentials)
    }

    /// A FanvilPhoneExecute of one URI (`Cmd:Reboot`, `Key:F1`, ...).
    public func execute(
        _ uri: String, on endpoint: PhoneEndpoint, credentials: PhoneCredentials?, beep: Bool = false
    ) async throws(PhoneAPIError) -> XMLServiceReply {
        try await send(build { () throws(XMLServiceRequestError) in try .execute(uri, beep: beep) },
                       to: endpoint, credentials: credentials)
    }
}

/// Runs a request builder, its error becoming `PhoneAPIError.request`.
private func build(
    _ make: () throws(XMLServiceRequestError) -> XMLServiceRequest
) throws(PhoneAPIError) -> XMLServiceRequest {
    do {
        return try make()
    } catch {
        throw .request(error)
    }
}
