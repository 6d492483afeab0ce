import DHCPv4
import SIPWire
import Testing
@testable import SIPPnP

/// Reading a PnP SUBSCRIBE: what a Fanvil phone sends, compact and odd
/// spellings, and what is not one.
@Suite struct PnPSubscribeTests {
    /// A Fanvil X4U's subscription, as captured in the field (FANVIL.md §1).
    static let fanvil = """
        SUBSCRIBE sip:0c383e07e16c@224.0.1.75 SIP/2.0\r
        Via: SIP/2.0/UDP 192.0.2.57:5060;branch=z9hG4bK1234;rport\r
        From: <sip:0c383e07e16c@224.0.1.75>;tag=abc\r
        To: <sip:0c383e07e16c@224.0.1.75>\r
        Call-ID: 77@192.0.2.57\r
        CSeq: 1 SUBSCRIBE\r
        Contact: <sip:0c383e07e16c@192.0.2.57:5060>\r
        Event: ua-profile;profile-type="device";vendor="Fanvil";model="X4U";version="2.12.16"\r
        Accept: application/url\r
        Expires: 0\r
        Content-Length: 0\r
        \r

        """

    static func read(_ text: String) throws -> Result<PnPSubscribe, PnPSubscribe.Rejection> {
        PnPSubscribe.read(try SIPMessage(parsing: Array(text.utf8)))
    }

    @Test func readsAFanvilSubscription() throws {
        let s = try Self.read(Self.fanvil).get()
        #expect(s.mac == MACAddress("0c:38:3e:07:e1:6c"))
        #expect(s.profileType == "device")
        #expect(s.vendor == "Fanvil")
        #expect(s.model == "X4U")
        #expect(s.version == "2.12.16")
        #expect(s.agent == "Fanvil X4U 2.12.16")
        #expect(s.callID == "77@192.0.2.57")
        #expect(s.cseq == 1)
        #expect(s.fromTag == "abc")
        #expect(s.expires == "0")
    }

    /// Compact names (RFC 3261 §7.3.3: v f t i m; RFC 6665: o), any case,
    /// a folded Event line, bare LF line ends, no profile-type.
    @Test func readsCompactFoldedAndOddlyCased() throws {
        let text = """
            subscribe sip:0C383E07E16C@224.0.1.75 SIP/2.0
            v: SIP/2.0/UDP 192.0.2.57;branch=z9hG4bK9
            f: <sip:0C383E07E16C@224.0.1.75>;tag=x
            t: <sip:0C383E07E16C@224.0.1.75>
            i: c9
            cseq: 4 subscribe
            m: <sip:192.0.2.57>
            o: UA-Profile;
             vendor="Yealink";model="T46S"
            l: 0


            """
        let s = try Self.read(text).get()
        #expect(s.mac == MACAddress("0c383e07e16c"))
        #expect(s.profileType == nil)
        #expect(s.vendor == "Yealink")
        #expect(s.model == "T46S")
        #expect(s.cseq == 4)
        #expect(s.callID == "c9")
    }

    @Test(arguments: [
        ("Event: presence", PnPSubscribe.Rejection.otherEvent),
        ("Event: ua-profile-x", .otherEvent),
        ("Event: ua-profile;profile-type=\"user\"", .otherProfileType),
        ("Event: ua-profile;profile-type=local-network", .otherProfileType),
    ])
    func otherEventsAndProfilesAreRefused(event: String, rejection: PnPSubscribe.Rejection) throws {
        let text = Self.fanvil.replacing(
            "Event: ua-profile;profile-type=\"device\";vendor=\"Fanvil\";model=\"X4U\";version=\"2.12.16\"", with: event)
        #expect(try Self.read(text) == .failure(rejection))
    }

    @Test(arguments: [
        ("Event: ua-profile;profile-type=\"device\";vendor=\"Fanvil\";model=\"X4U\";version=\"2.12.16\"\r\n", PnPSubscribe.Rejection.otherEvent),
        ("Call-ID: 77@192.0.2.57\r\n", .missingHeader),
        ("CSeq: 1 SUBSCRIBE\r\n", .missingHeader),
        ("Via: SIP/2.0/UDP 192.0.2.57:5060;branch=z9hG4bK1234;rport\r\n", .missingHeader),
        ("From: <sip:0c383e07e16c@224.0.1.75>;tag=abc\r\n", .missingHeader),
    ])
    func missingHeadersAreRefused(line: String, rejection: PnPSubscribe.Rejection) throws {
        #expect(try Self.read(Self.fanvil.replacing(line, with: "")) == .failure(rejection))
    }

    @Test func aFromUserThatIsNoMACIsRefused() throws {
        let text = Self.fanvil.replacing("From: <sip:0c383e07e16c@", with: "From: <sip:alice@")
        #expect(try Self.read(text) == .failure(.noMAC))
    }

    @Test func otherMethodsAndResponsesAreNotSubscriptions() throws {
        #expect(try Self.read(Self.fanvil.replacing("SUBSCRIBE sip:", with: "OPTIONS sip:")) == .failure(.notSubscribe))
        #expect(try Self.read("SIP/2.0 200 OK\r\nCSeq: 1 SUBSCRIBE\r\n\r\n") == .failure(.notSubscribe))
    }
}
