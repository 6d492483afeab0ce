import DHCPv4
import Testing
@testable import PhoneSim

/// Fleet identities, fault assignment, power-on spread, event lines and the
/// progress line.
struct FleetOptionsTests {
    @Test func phonesGetConsecutiveMACsAndTheirFaults() throws {
        var options = FleetOptions()
        options.count = 10
        options.faults[try #require(MACAddress("0c383e100001"))] = try PhoneFaults(parsing: "wrong-mac")
        options.faultEvery = [(every: 4, faults: try PhoneFaults(parsing: "slow=100"))]
        #expect(options.identity(3).mac.compact == "0c383e100003")
        #expect(options.identity(3).userAgent == "Fanvil X4 2.10.2.6887 0c383e100003")
        #expect(options.faults(1).wrongMAC && options.faults(1).slowMilliseconds == nil)
        #expect(options.faults(3).slowMilliseconds == 100 && !options.faults(3).wrongMAC)
        #expect(options.faults(7).slowMilliseconds == 100)
        #expect(options.faults(0) == PhoneFaults())
    }

    @Test func powerOnIsSpreadEvenly() {
        var options = FleetOptions()
        options.count = 4
        #expect(options.powerOnDelay(3) == .zero)
        options.bootSpread = 2
        #expect((0..<4).map(options.powerOnDelay) == [0, 500, 1000, 1500].map { .milliseconds($0) })
    }

    @Test func eventLinesAreJSON() {
        let line = EventLog.line(PhoneEvent(mac: "0c383e100000", kind: .registerFailed, ip: "127.64.1.1", code: 403), seconds: 1.5)
        #expect(line == #"{"t":1.500,"mac":"0c383e100000","event":"register-failed","ip":"127.64.1.1","code":403}"# + "\n")
        let noCode = EventLog.line(PhoneEvent(mac: "a\"b", kind: .configFetched, ip: nil), seconds: 0)
        #expect(noCode == #"{"t":0.000,"mac":"a\"b","event":"config-fetched","ip":null}"# + "\n")
    }

    @Test func progressCountsPhonesNotEvents() {
        let progress = FleetProgress(phones: 3)
        for mac in ["a", "b", "a"] { progress.record(PhoneEvent(mac: mac, kind: .leased, ip: nil)) }
        progress.record(PhoneEvent(mac: "a", kind: .configFetched, ip: nil))
        progress.record(PhoneEvent(mac: "a", kind: .registerFailed, ip: nil, code: 408))
        progress.record(PhoneEvent(mac: "a", kind: .registered, ip: nil, code: 200))
        progress.record(PhoneEvent(mac: "b", kind: .registerFailed, ip: nil, code: 403))
        #expect(progress.summary == "phonesim: 3 phones: leased 2, configured 1, registered 1, failed 1")
    }
}
