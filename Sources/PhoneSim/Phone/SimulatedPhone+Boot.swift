import DHCPv4
import NIOCore

extension SimulatedPhone {
    /// Runs one boot until the phone is up: lease, config, API, SIP.
    /// `nil` only when the task was cancelled.
    func boot(previous: IPv4Address?) async -> BootSession? {
        var backoff = Duration.seconds(2)
        while !Task.isCancelled {
            let client = DHCPLeaseClient(relay: environment.relay, mac: state.identity.mac)
            guard let lease = await client.acquire(deadline: .now() + environment.dhcpDeadline, previous: previous) else {
                guard await pause(&backoff) else { return nil }
                continue
            }
            let ip = lease.address.description
            state.withLock {
                $0.leasedIP = ip
                $0.bootTime = .now()
            }
            emit(.leased, ip: ip)
            guard let option = await provisioningURL(lease, ip: ip), let url = HTTPURL.provisioning(option, mac: mac) else {
                // No provisioning URL: a real phone would keep its flash settings; retry later.
                guard await pause(&backoff) else { return nil }
                continue
            }
            guard await fetchConfig(url, from: ip) else { return nil }
            emit(.configFetched, ip: ip)
            let api = await startAPI(on: ip)
            guard !Task.isCancelled else { await api?.close(); return nil }
            let session = BootSession(
                address: lease.address, renewAfter: lease.renewAfter, api: api,
                sip: SIPRegisterClient(
                    localHost: ip, localPort: environment.sipPort, group: environment.group, userAgent: state.identity.userAgent))
            if let url = state.settings["cti.BootCompletedUrl"] { await callAction(url, ip: ip) }
            await register(lines: state.settings.lineNumbers, session: session)
            return session
        }
        return nil
    }

    /// Option 66/43 of the lease, or the URL a SIP PnP NOTIFY told (per
    /// `environment.pnp`).
    private func provisioningURL(_ lease: DHCPLease, ip: String) async -> String? {
        switch environment.pnp {
        case .off: return lease.provisioningURL
        case .fallback: if let url = lease.provisioningURL { return url }
        case .always: break
        }
        let identity = state.identity
        let client = SIPPnPClient(
            localHost: ip, mac: mac, model: identity.model, firmware: identity.firmware,
            group: environment.pnpGroup, port: environment.pnpPort, userAgent: identity.userAgent)
        guard let url = await client.discover(loops: environment.group) else { return nil }
        emit(.pnp, ip: ip)
        return url
    }

    /// Fetches and applies the config file, retrying with backoff until it
    /// answers 200 and parses. A 401 is answered once with Digest under the
    /// provisioning credentials the phone holds (`ProvisioningDigest`).
    /// False when cancelled.
    private func fetchConfig(_ url: HTTPURL, from ip: String) async -> Bool {
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            if let items = await fetchOnce(url, from: ip) {
                state.withLock { $0.settings.apply(items) }
                return true
            }
            guard await pause(&backoff) else { return false }
        }
        return false
    }

    private func fetchOnce(_ url: HTTPURL, from ip: String) async -> [(key: String, value: String)]? {
        let agent = state.identity.userAgent
        guard var response = try? await SimpleHTTPClient.get(url, from: ip, userAgent: agent, group: environment.group)
        else { return nil }
        if response.status == 401 {
            let (user, password) = state.withLock {
                ($0.settings[ProvisioningDigest.usernameKey], $0.settings[ProvisioningDigest.passwordKey])
            }
            guard let authorization = ProvisioningDigest.authorization(
                challenges: response.headers, user: user, password: password, uri: url.target),
                let answered = try? await SimpleHTTPClient.request(
                    .GET, url, from: ip, headers: [("User-Agent", agent), ("Authorization", authorization)],
                    group: environment.group)
            else { return nil }
            response = answered
        }
        guard response.status == 200 else { return nil }
        return try? ConfigFileParser.parse(response.body)
    }

    /// Opens the API listener (not with the `unreachable` fault), retrying
    /// a failed bind a few times.
    private func startAPI(on ip: String) async -> PhoneAPIServer? {
        guard !state.faults.unreachable else { return nil }
        var backoff = Duration.seconds(1)
        for _ in 0..<5 {
            if let server = try? await PhoneAPIServer.start(
                state: state, host: ip, port: environment.apiPort, group: environment.group,
                events: environment.events, effect: { [weak self] in self?.apply($0) })
            {
                emit(.apiListening, ip: ip)
                return server
            }
            guard await pause(&backoff) else { return nil }
        }
        return nil
    }

    /// Sleeps `backoff` (with jitter), doubles it up to 30 s. False when cancelled.
    func pause(_ backoff: inout Duration) async -> Bool {
        let jitter = Double.random(in: 0.8...1.2)
        do { try await Task.sleep(for: backoff * jitter) } catch { return false }
        backoff = min(backoff * 2, .seconds(30))
        return true
    }
}
