import Testing
@testable import PhoneSim

/// The two file shapes autoprov renders give the same dot keys.
struct ConfigFileParserTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <sysConf>
            <Version>2.0000000000</Version>
            <sip>
                <line index="1">
                    <PhoneNumber>1001</PhoneNumber>
                    <RegisterAddr>10.0.0.5</RegisterAddr>
                    <RegisterPswd>p=a&amp;ss</RegisterPswd>
                    <EnableReg>1</EnableReg>
                </line>
                <line index="2">
                    <PhoneNumber>1002</PhoneNumber>
                </line>
            </sip>
            <phone>
                <EnablePushXMLAuth>1</EnablePushXMLAuth>
                <date>
                </date>
            </phone>
            <web><account index="1"><Name>admin</Name><Password>s3cret</Password></account></web>
            <cti><BootCompletedUrl>http://127.0.0.1:8080/events/boot?mac=$mac&amp;ip=$ip</BootCompletedUrl></cti>
        </sysConf>
        """

    static let text = """
        #<Voip Config File>#
        Version = 2.0000000000

        sip.line.1.PhoneNumber = 1001
        sip.line.1.RegisterAddr = 10.0.0.5
        sip.line.1.RegisterPswd = p=a&ss
        sip.line.1.EnableReg = 1
        sip.line.2.PhoneNumber = 1002
        phone.EnablePushXMLAuth = 1
        phone.date =
        web.account.1.Name = admin
        web.account.1.Password = s3cret
        cti.BootCompletedUrl = http://127.0.0.1:8080/events/boot?mac=$mac&ip=$ip
        """

    static let expected: [String: String] = [
        "sip.line.1.PhoneNumber": "1001",
        "sip.line.1.RegisterAddr": "10.0.0.5",
        "sip.line.1.RegisterPswd": "p=a&ss",
        "sip.line.1.EnableReg": "1",
        "sip.line.2.PhoneNumber": "1002",
        "phone.EnablePushXMLAuth": "1",
        "phone.date": "",
        "web.account.1.Name": "admin",
        "web.account.1.Password": "s3cret",
        "cti.BootCompletedUrl": "http://127.0.0.1:8080/events/boot?mac=$mac&ip=$ip",
    ]

    static func dictionary(_ items: [(key: String, value: String)]) -> [String: String] {
        Dictionary(items.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test func sysConfXMLGivesDotKeys() throws {
        #expect(Self.dictionary(try ConfigFileParser.parse(Array(Self.xml.utf8))) == Self.expected)
    }

    @Test func dotKeyTextGivesTheSameKeys() throws {
        #expect(Self.dictionary(try ConfigFileParser.parse(Array(Self.text.utf8))) == Self.expected)
    }

    @Test func xmlOrderIsDocumentOrder() throws {
        let keys = try ConfigFileParser.parse(Array(Self.xml.utf8)).map(\.key)
        #expect(keys.prefix(2) == ["sip.line.1.PhoneNumber", "sip.line.1.RegisterAddr"])
    }

    @Test func entitiesAreNotExpanded() throws {
        let evil = """
            <?xml version="1.0"?>
            <!DOCTYPE sysConf [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <sysConf><a><b>&x;</b></a></sysConf>
            """
        let items = try ConfigFileParser.parse(Array(evil.utf8))
        #expect(Self.dictionary(items) == ["a.b": ""])
    }

    @Test func keysLoseSpacesAndValuesAreTrimmed() {
        let items = ConfigFileParser.parseText("  sip.line. 1.RegisterAddr   =  1.2.3.4  \r\n# comment\nbad line\n")
        #expect(Self.dictionary(items) == ["sip.line.1.RegisterAddr": "1.2.3.4"])
    }
}
