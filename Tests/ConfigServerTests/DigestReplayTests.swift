@testable import ConfigServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Issue 13, item 6: a captured `Authorization` header must not open the
/// file again (same nc, or from another address), and guessing is throttled
/// per source address. Times are passed in (no sleeping).
@Suite struct DigestReplayTests {
    let digest = DigestAuthenticator(realm: "autoprov")
    let phone = "192.0.2.100"
    let attacker = "192.0.2.66"
    let uri = "/0c383e07e16c.cfg"

    /// A challenge (a new nonce each time) issued to `client`.
    func challenge(_ client: String, issued: Double = 1000) -> String {
        digest.challenges(now: issued, client: client)[0]
    }

    func header(_ challenge: String, password: String = "pw", nc: String = "00000001") -> String {
        DigestTests.authorization(challenge, user: "prov", password: password, uri: uri, nc: nc)
    }

    func verify(
        _ header: String?, from client: String, at now: Double = 1010, _ settings: DigestSettings = DigestSettings()
    ) -> DigestAuthenticator.Outcome {
        digest.verify(header: header, method: "GET", uri: uri, client: client, now: now, settings: settings) {
            $0 == "prov" ? "pw" : nil
        }
    }

    var computed: Int { digest.state.responsesComputed.load(ordering: .relaxed) }

    @Test func theSameHeaderReplayedIsRefused() {
        let captured = header(challenge(phone))
        #expect(verify(captured, from: phone) == .valid)
        #expect(verify(captured, from: phone, at: 1011) == .replayed)
        #expect(verify(captured, from: phone, at: 1200) == .replayed, "within the nonce lifetime")
        #expect(verify(captured, from: phone, at: 2000) == .invalid(stale: true), "past it: stale, as before")
    }

    @Test func aHeaderFromAnotherAddressIsRefused() {
        let captured = header(challenge(phone))
        for thief in [attacker, "198.51.100.7", "::1"] {
            #expect(verify(captured, from: thief) == .invalid(stale: false), "the nonce is bound to \(phone)")
        }
        #expect(verify(captured, from: phone) == .valid, "the phone itself is not affected")
    }

    @Test func increasingNonceCountsAreAcceptedAndALowerOneIsNot() {
        let toPhone = challenge(phone)
        #expect(verify(header(toPhone, nc: "00000001"), from: phone) == .valid)
        #expect(verify(header(toPhone, nc: "00000002"), from: phone) == .valid)
        #expect(verify(header(toPhone, nc: "0000000a"), from: phone) == .valid)
        #expect(verify(header(toPhone, nc: "00000009"), from: phone) == .replayed)
        #expect(verify(header(toPhone, nc: "0000000a"), from: phone) == .replayed)
        #expect(verify(header(toPhone, nc: "0000000b"), from: phone) == .valid)
        #expect(verify(header(toPhone, nc: "zz"), from: phone) == .invalid(stale: false))
    }

    @Test func aNonceWithoutQopIsSingleUse() {
        let nonce = DigestAuthenticator.parameters(String(digest.challenges(now: 1000, client: phone)[0].dropFirst(7)))["nonce"]!
        let response = DigestAuthenticator.response(
            algorithm: "MD5", user: "prov", realm: "autoprov", password: "pw", method: "GET", uri: uri, nonce: nonce,
            nc: nil, cnonce: nil, qop: nil)
        let old = "Digest username=\"prov\", realm=\"autoprov\", nonce=\"\(nonce)\", uri=\"\(uri)\", response=\"\(response)\""
        #expect(verify(old, from: phone) == .valid)
        #expect(verify(old, from: phone) == .replayed)
    }

    @Test func guessesAreThrottledWithoutHashingAndOtherAddressesStillGetIn() {
        let settings = DigestSettings(maxFailures: 10, failureWindow: 60, cooldown: 300)
        var outcomes: [DigestAuthenticator.Outcome] = []
        for i in 0..<3000 {
            let guess = header(challenge(attacker), password: "guess\(i)")
            outcomes.append(verify(guess, from: attacker, at: 1010, settings))
        }
        #expect(outcomes.prefix(10).allSatisfy { $0 == .invalid(stale: false) })
        #expect(outcomes.dropFirst(10).allSatisfy { if case .throttled = $0 { true } else { false } })
        #expect(computed == 10, "2,990 refusals computed no response")
        // Even the right password is refused unchecked during the cooldown.
        #expect(verify(header(challenge(attacker)), from: attacker, at: 1100, settings) == .throttled(retryAfter: 210))
        #expect(verify(nil, from: attacker, at: 1100, settings) == .throttled(retryAfter: 210))
        // A legitimate phone elsewhere is not affected.
        #expect(verify(header(challenge(phone)), from: phone, at: 1100, settings) == .valid)
        // After the cooldown the address may try again.
        #expect(verify(header(challenge(attacker, issued: 1400)), from: attacker, at: 1411, settings) == .valid)
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() {
        let settings = DigestSettings(maxFailures: 3, failureWindow: 60, cooldown: 300)
        for minute in 0..<10 {
            for second in 0..<2 {
                let now = 1010 + Double(minute * 61 + second)
                let guess = header(challenge(attacker, issued: now), password: "wrong")
                #expect(verify(guess, from: attacker, at: now, settings) == .invalid(stale: false))
            }
        }
        let replayed = header(challenge(phone))
        #expect(verify(replayed, from: phone, at: 1010, settings) == .valid)
        for i in 0..<3 { _ = verify(replayed, from: phone, at: 1011 + Double(i), settings) }
        #expect(verify(replayed, from: phone, at: 1020, settings) == .throttled(retryAfter: 293), "replays count as failures")
    }

    /// Mutating calls, outside `#expect` (which cannot take them).
    static func admit(_ table: inout DigestNonceTable, nonce: String, nc: UInt64, issued: Double, now: Double, lifetime: Double) -> Bool {
        table.admit(nonce: nonce, nc: nc, issued: issued, now: now, lifetime: lifetime)
    }

    static func failed(_ throttle: inout DigestThrottle, _ source: String, now: Double, settings: DigestSettings) -> Bool {
        throttle.failed(source, now: now, settings: settings)
    }

    @Test func theNonceTableIsBoundedAndDropsExpiredNoncesFirst() {
        var table = DigestNonceTable(capacity: 3)
        #expect(Self.admit(&table, nonce: "old", nc: 1, issued: 0, now: 10, lifetime: 300))
        #expect(Self.admit(&table, nonce: "a", nc: 1, issued: 400, now: 400, lifetime: 300))
        #expect(Self.admit(&table, nonce: "b", nc: 1, issued: 401, now: 401, lifetime: 300))
        #expect(Self.admit(&table, nonce: "c", nc: 1, issued: 402, now: 402, lifetime: 300))
        #expect(table.entries.count == 3 && table.entries["old"] == nil, "the expired nonce went first")
        #expect(Self.admit(&table, nonce: "d", nc: 1, issued: 403, now: 403, lifetime: 300))
        #expect(table.entries.count == 3 && table.entries["a"] == nil, "then the oldest issued")
        #expect(!Self.admit(&table, nonce: "d", nc: 1, issued: 403, now: 404, lifetime: 300))
    }

    @Test func theThrottleTableIsBounded() {
        var throttle = DigestThrottle(capacity: 100)
        let settings = DigestSettings(maxFailures: 2)
        for i in 0..<1000 { _ = throttle.failed("10.0.\(i / 256).\(i % 256)", now: Double(i), settings: settings) }
        #expect(throttle.sources.count <= 100)
        #expect(Self.failed(&throttle, "10.9.9.9", now: 2000, settings: settings) == false)
        #expect(Self.failed(&throttle, "10.9.9.9", now: 2001, settings: settings) == true)
        #expect(throttle.blocked("10.9.9.9", now: 2002) == 299)
    }

    /// The same through the phone file service: statuses, bodies, headers.
    @Test func theFileServiceRefusesReplaysAndThrottlesGuessers() throws {
        let h = try Harness()
        try h.addPhone(variables: ["provisioning_username": "prov", "provisioning_password": "prov-pw"])
        var settings = ConfigServerSettings()
        settings.authorization = .digest
        settings.digest = DigestSettings(maxFailures: 5, failureWindow: 60, cooldown: 120)
        let service = PhoneFileService(
            settings: settings, renderer: h.renderer, inventory: h.inventory, directory: h.cache, leases: h.cache,
            recorder: h.recorder, logger: Logger(label: "test"), now: { 1000 })
        func get(_ authorization: String?, from ip: String) throws -> PhoneResponse {
            try service.handle(PhoneRequest(
                method: .GET, target: uri, userAgent: fanvilUA, authorization: authorization,
                remote: SocketAddress(ipAddress: ip, port: 40000)))
        }
        func authorize(_ challenge: PhoneResponse, password: String = "prov-pw") -> String {
            let value = challenge.headers.first { $0.0 == "WWW-Authenticate" }!.1
            return DigestTests.authorization(value, user: "prov", password: password, uri: uri)
        }
        let challenge = try get(nil, from: phone)
        #expect(challenge.status == .unauthorized)
        let captured = authorize(challenge)
        #expect(try get(captured, from: phone).status == .ok)
        let replay = try get(captured, from: phone)
        #expect(replay.status == .unauthorized && replay.body == "digest-replay\n")
        #expect(replay.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.contains("stale=true") })
        for thief in [attacker, "198.51.100.7"] {
            let stolen = try get(captured, from: thief)
            #expect(stolen.status == .unauthorized && stolen.body == "digest-bad\n", "replayed from \(thief)")
        }
        let guessChallenge = try get(nil, from: attacker)
        let statuses = try (0..<3000).map { i in try get(authorize(guessChallenge, password: "guess\(i)"), from: attacker).status }
        #expect(statuses.prefix(4).allSatisfy { $0 == .unauthorized }, "one failure was the stolen header above")
        #expect(statuses.dropFirst(4).allSatisfy { $0 == .tooManyRequests })
        let throttled = try get(authorize(guessChallenge), from: attacker)
        #expect(throttled.status == .tooManyRequests && throttled.body == "digest-throttled\n")
        #expect(throttled.headers.contains { $0 == ("Retry-After", "120") })
        #expect(service.digest.state.responsesComputed.load(ordering: .relaxed) == 2 + 4, "no hash while throttled")
        let fresh = try get(nil, from: "192.0.2.101")
        #expect(try get(authorize(fresh), from: "192.0.2.101").status == .ok, "a phone elsewhere still gets in")
    }

    @Test func theThrottleFollowsAReload() throws {
        let h = try Harness()
        try h.addPhone(variables: ["provisioning_username": "prov", "provisioning_password": "prov-pw"])
        var settings = ConfigServerSettings()
        settings.authorization = .digest
        let service = PhoneFileService(
            settings: settings, renderer: h.renderer, inventory: h.inventory, directory: h.cache, leases: h.cache,
            recorder: h.recorder, logger: Logger(label: "test"), now: { 1000 })
        settings.digest.maxFailures = 1
        try service.reload(settings: settings)
        let request = { (authorization: String?) in
            try service.handle(PhoneRequest(
                method: .GET, target: uri, userAgent: fanvilUA, authorization: authorization,
                remote: SocketAddress(ipAddress: attacker, port: 40000)))
        }
        let value = try request(nil).headers.first { $0.0 == "WWW-Authenticate" }!.1
        #expect(try request(DigestTests.authorization(value, user: "prov", password: "no", uri: uri)).status == .unauthorized)
        #expect(try request(nil).status == .tooManyRequests, "max_failures 1, applied without a restart")
    }
}
