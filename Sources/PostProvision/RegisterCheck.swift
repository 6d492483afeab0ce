import PhoneAPI

/// Reads `info.sip.line.N.registerCode` for every configured line and says
/// whether the phone is registered, refused, or not there yet.
struct RegisterCheck: Sendable {
    let successCodes: Set<Int>
    let failureCodes: Set<Int>

    static func keys(lines: [Int]) -> [String] {
        lines.map { "info.sip.line.\($0).registerCode" }
    }

    func evaluate(_ reply: XMLServiceReply, lines: [Int]) -> ProvisionStep {
        var waiting: [String] = []
        for line in lines {
            let text = reply.value(for: "info.sip.line.\(line).registerCode") ?? ""
            guard let code = Int(text) else {
                waiting.append("line \(line) registerCode \(text.isEmpty ? "missing" : "not a number")")
                continue
            }
            if successCodes.contains(code) { continue }
            if failureCodes.contains(code) { return .fail("line \(line) registerCode \(code)", status: code) }
            waiting.append("line \(line) registerCode \(code)")
        }
        guard waiting.isEmpty else { return .retry(waiting.joined(separator: ", ")) }
        let codes = lines.compactMap { reply.value(for: "info.sip.line.\($0).registerCode").flatMap { Int($0) } }
        return .advance(.verified, reason: nil, status: codes.first)
    }
}
