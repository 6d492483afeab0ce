import DHCPv4
import SIPWire
import Testing
@testable import SIPPnP

/// Who is answered, the exact shape of the 200 OK and the NOTIFY, and the
/// retransmissions both ways.
@Suite struct PnPResponderTests {
    static let phone = "192.0.2.57"

    static func responder(admit: @escaping (PnPSubscribe) -> Bool = { $0.mac.oui == 0x0c383e }) -> PnPResponder {
        var r = PnPResponder(localAddresses: ["192.0.2.1", "198.51.100.1"], localPort: 5060,
                             url: "http://192.0.2.1:8080/$mac.cfg", admit: admit)
        var n = 0
        r.makeToken = {
            n += 1
            return "t\(n)"
        }
        return r
    }

    static func datagram(_ text: String, port: Int = 5060, from host: String = phone, interface: Int = 0) -> PnPDatagram {
        PnPDatagram(bytes: Array(text.utf8), host: host, port: port, interface: interface)
    }

    static let subscribe = datagram(PnPSubscribeTests.fanvil)

    @Test func answers200ThenNotifyWithTheURL() throws {
        var r = Self.responder()
        let reaction = r.receive(Self.subscribe, now: 0)
        #expect(reaction.outcome == .answered)
        try #require(reaction.send.count == 2)
        let ok = reaction.send[0], notify = reaction.send[1]
        #expect((ok.host, ok.port, ok.interface) == (Self.phone, 5060, 0))
        #expect(String(decoding: ok.bytes, as: UTF8.self) == """
            SIP/2.0 200 OK\r
            Via: SIP/2.0/UDP 192.0.2.57:5060;branch=z9hG4bK1234;received=192.0.2.57;rport=5060\r
            From: <sip:0c383e07e16c@224.0.1.75>;tag=abc\r
            To: <sip:0c383e07e16c@224.0.1.75>;tag=t1\r
            Call-ID: 77@192.0.2.57\r
            CSeq: 1 SUBSCRIBE\r
            Contact: <sip:192.0.2.1:5060>\r
            Expires: 0\r
            Server: autoprov\r
            Content-Length: 0\r
            \r

            """)
        #expect((notify.host, notify.port, notify.interface) == (Self.phone, 5060, 0))
        #expect(String(decoding: notify.bytes, as: UTF8.self) == """
            NOTIFY sip:0c383e07e16c@192.0.2.57:5060 SIP/2.0\r
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKt2;rport\r
            Max-Forwards: 70\r
            From: <sip:0c383e07e16c@224.0.1.75>;tag=t1\r
            To: <sip:0c383e07e16c@224.0.1.75>;tag=abc\r
            Call-ID: 77@192.0.2.57\r
            CSeq: 1 NOTIFY\r
            Contact: <sip:192.0.2.1:5060>\r
            Event: ua-profile;profile-type="device";vendor="Fanvil";model="X4U";version="2.12.16"\r
            Subscription-State: terminated;reason=timeout\r
            Content-Type: application/url\r
            Server: autoprov\r
            Content-Length: 38\r
            \r
            http://192.0.2.1:8080/0c383e07e16c.cfg
            """)
        #expect(reaction.answer?.url == "http://192.0.2.1:8080/0c383e07e16c.cfg")
        #expect(reaction.answer?.subscribe.model == "X4U")
    }

    @Test func theInterfaceItCameInOnAnswersWithItsOwnAddress() throws {
        var r = Self.responder()
        let reaction = r.receive(Self.datagram(PnPSubscribeTests.fanvil, interface: 1), now: 0)
        #expect(reaction.send.map(\.interface) == [1, 1])
        #expect(String(decoding: reaction.send[1].bytes, as: UTF8.self).contains("Contact: <sip:198.51.100.1:5060>"))
    }

    /// A Contact naming another host does not redirect the NOTIFY (no
    /// reflection): it goes to the source, at the Via's port.
    @Test func aForeignContactIsNotFollowed() throws {
        var r = Self.responder()
        let text = PnPSubscribeTests.fanvil.replacing("Contact: <sip:0c383e07e16c@192.0.2.57:5060>", with: "Contact: <sip:x@203.0.113.9:9999>")
        let reaction = r.receive(Self.datagram(text, port: 40000), now: 0)
        let notify = try #require(reaction.send.last)
        #expect((notify.host, notify.port) == (Self.phone, 40000))  // rport: the source port
        #expect(String(decoding: notify.bytes, as: UTF8.self).hasPrefix("NOTIFY sip:0c383e07e16c@192.0.2.57:40000 SIP/2.0\r\n"))
    }

    @Test func unknownMACsOtherEventsAndGarbageAreDroppedSilently() {
        var r = Self.responder(admit: { _ in false })
        #expect(r.receive(Self.subscribe, now: 0).outcome == .unknownDevice)
        var open = Self.responder()
        let presence = Self.datagram(PnPSubscribeTests.fanvil.replacing("Event: ua-profile;", with: "Event: presence;"))
        #expect(open.receive(presence, now: 0).outcome == .otherEvent)
        #expect(open.receive(Self.datagram("\u{0}\u{1}garbage"), now: 0).outcome == .malformed)
        #expect(open.receive(Self.datagram("NOTIFY x SIP/2.0\r\nBad header\r\n\r\n"), now: 0).outcome == .malformed)
        for outcome in [r.receive(Self.subscribe, now: 1), open.receive(presence, now: 1)] {
            #expect(outcome.send.isEmpty)
        }
    }

    /// The phone retransmits its SUBSCRIBE until the 200 arrives: each copy
    /// gets the same 200, none a second NOTIFY.
    @Test func retransmittedSubscribesAreAbsorbed() {
        var r = Self.responder()
        let first = r.receive(Self.subscribe, now: 0)
        for t in [0.5, 1.5, 3.5] {
            let again = r.receive(Self.subscribe, now: t)
            #expect(again.outcome == .retransmission)
            #expect(again.send == [first.send[0]])
            #expect(again.answer == nil)
        }
        #expect(r.inFlight == 1)
        // A new CSeq is a new request.
        let refresh = Self.datagram(PnPSubscribeTests.fanvil.replacing("CSeq: 1 SUBSCRIBE", with: "CSeq: 2 SUBSCRIBE"))
        #expect(r.receive(refresh, now: 4).outcome == .answered)
    }

    /// Timer E: 500 ms, 1 s, 2 s, 4 s, 4 s... until the 200 to the NOTIFY.
    @Test func theNotifyIsRetransmittedUntilAnswered() {
        var r = Self.responder()
        let notify = r.receive(Self.subscribe, now: 0).send[1]
        var sentAt: [Double] = []
        for step in 1...100 {  // 10 s in 100 ms ticks
            let t = Double(step) / 10
            if r.tick(now: t).send == [notify] { sentAt.append(t) }
        }
        #expect(sentAt == [0.5, 1.5, 3.5, 7.5])
        let answer = Self.datagram("""
            SIP/2.0 200 OK\r
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKt2;rport\r
            Call-ID: 77@192.0.2.57\r
            CSeq: 1 NOTIFY\r
            \r

            """)
        #expect(r.receive(answer, now: 10).outcome == .notifyAnswered)
        #expect(r.tick(now: 20).send.isEmpty)
        // Remembered until 32 s (a late SUBSCRIBE copy is still absorbed), then forgotten.
        #expect(r.receive(Self.subscribe, now: 20).outcome == .retransmission)
        _ = r.tick(now: 33)
        #expect(r.inFlight == 0)
    }

    @Test func anUnansweredNotifyIsGivenUpAfter32Seconds() {
        var r = Self.responder()
        _ = r.receive(Self.subscribe, now: 0)
        var gaveUp: [PnPAnswer] = [], sends = 0
        for step in 1...400 {
            let result = r.tick(now: Double(step) / 10)
            gaveUp += result.gaveUp
            sends += result.send.count
        }
        #expect(gaveUp.map(\.subscribe.mac) == [MACAddress("0c383e07e16c")!])
        #expect(sends == 10)  // 0.5, 1.5, 3.5, 7.5, 11.5 ... 31.5
        #expect(r.inFlight == 0)
    }

    @Test func aFloodFromOneSourceIsRateLimited() {
        var r = Self.responder()
        var outcomes: [PnPOutcome] = []
        for i in 0..<30 {
            let text = PnPSubscribeTests.fanvil.replacing("Call-ID: 77@", with: "Call-ID: \(i)@")
            outcomes.append(r.receive(Self.datagram(text), now: 0).outcome)
        }
        #expect(outcomes.prefix(20).allSatisfy { $0 == .answered })
        #expect(outcomes.suffix(10).allSatisfy { $0 == .rateLimited })
        // Another phone is not held back, and the first one recovers.
        #expect(r.receive(Self.datagram(PnPSubscribeTests.fanvil, from: "192.0.2.58"), now: 0).outcome == .answered)
        #expect(r.receive(Self.datagram(PnPSubscribeTests.fanvil.replacing("Call-ID: 77@", with: "Call-ID: 99@")), now: 1).outcome == .answered)
    }
}

/// What the fuzzer (Fuzz/SIPPnPFuzz.swift) found: a Contact with a space
/// became the NOTIFY's Request-URI, and control characters were echoed.
@Suite struct PnPResponderHostileInputTests {
    @Test func aContactThatIsNoPlainURIIsNotUsedAsTheRequestURI() throws {
        var r = PnPResponderTests.responder()
        let text = PnPSubscribeTests.fanvil.replacing(
            "Contact: <sip:0c383e07e16c@192.0.2.57:5060>", with: "Contact: <sip:0c383e07e16c@192.0.2.57:5 <sip:0060>")
        let notify = try #require(r.receive(PnPResponderTests.datagram(text), now: 0).send.last)
        let line = String(decoding: notify.bytes, as: UTF8.self).prefix { $0 != "\r\n" }
        #expect(line == "NOTIFY sip:0c383e07e16c@192.0.2.57:5060 SIP/2.0")
    }

    @Test func controlCharactersInEchoedHeadersAreRefused() throws {
        var r = PnPResponderTests.responder()
        let text = PnPSubscribeTests.fanvil.replacing("Call-ID: 77@192.0.2.57", with: "Call-ID: 77@192.0.2.57\r\u{0}\u{0}W")
        #expect(r.receive(PnPResponderTests.datagram(text), now: 0).outcome == .missingHeader)
    }
}
