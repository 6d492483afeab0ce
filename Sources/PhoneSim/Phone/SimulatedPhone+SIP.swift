extension SimulatedPhone {
    /// Registers each of `lines` that has `EnableReg` = 1 and a
    /// `RegisterAddr`, concurrently, storing each final status as the
    /// line's registerCode, then calls `cti.RegOnUrl` or `cti.RegFailedUrl`.
    func register(lines: [Int], session: BootSession) async {
        let settings = state.settings
        let accounts = lines.compactMap { line in account(line: line, settings: settings).map { (line, $0) } }
        guard !accounts.isEmpty else { return }
        await withTaskGroup(of: (Int, Int).self) { group in
            for (line, account) in accounts {
                group.addTask { [environment] in
                    let code = await session.sip.register(
                        account, expires: environment.registerExpires, timeout: environment.registerTimeout)
                    return (line, code)
                }
            }
            for await (line, code) in group {
                state.withLock { $0.registerCodes[line] = code }
                emit(code == 200 ? .registered : .registerFailed, ip: session.ip, code: code)
                let key = code == 200 ? "cti.RegOnUrl" : "cti.RegFailedUrl"
                if let url = state.settings[key] { await callAction(url, ip: session.ip) }
            }
        }
    }

    /// Line N's account from `sip.line.N.*`, `nil` when it does not register.
    func account(line: Int, settings: PhoneSettings) -> SIPAccount? {
        let prefix = "sip.line.\(line)."
        guard settings[prefix + "EnableReg"] == "1",
              let registrar = settings[prefix + "RegisterAddr"], !registrar.isEmpty else { return nil }
        let user = settings[prefix + "PhoneNumber"] ?? ""
        let authUser = settings[prefix + "RegisterUser"].flatMap { $0.isEmpty ? nil : $0 } ?? user
        var password = settings[prefix + "RegisterPswd"] ?? ""
        if state.faults.wrongSIPPassword { password += "-wrong" }
        let port = settings[prefix + "RegisterPort"].flatMap { Int($0) }.flatMap { (1...65535).contains($0) ? $0 : nil } ?? 5060
        return SIPAccount(user: user.isEmpty ? authUser : user, authUser: authUser, password: password,
                          registrar: registrar, port: port, displayName: settings[prefix + "DisplayName"] ?? "")
    }

    /// GETs an action URL from the phone's address; errors are ignored.
    func callAction(_ template: String, ip: String) async {
        guard let url = HTTPURL.action(template, mac: mac, ip: ip) else { return }
        _ = try? await SimpleHTTPClient.get(url, from: ip, userAgent: state.identity.userAgent,
                                            group: environment.group, timeout: .seconds(5))
    }
}
