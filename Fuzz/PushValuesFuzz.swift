// libFuzzer target for values on their way to a phone (issue 13 item 2),
// compiled by Fuzz/run.sh with the Rendering files that build and read back
// a push (RenderValueCheck, RenderContext, ContentTypes, DotKeyItems,
// PushRendering) and PhoneAPI's xmlService request builder, against Store,
// SafeText, DHCPv4, CSV and swift-mustache built as instrumented modules.
//
// Input: first byte picks the field that carries the value, the rest is the
// value (UTF-8, invalid bytes replaced). Property: rendering the shipped
// push template either fails with `RenderError.unsafeValue` (exactly when
// `ValueSafety` refuses the value) or gives exactly the intended items, and
// the `cmd="set"` request built from them, parsed strictly by libxml2, gives
// the same items back. Never traps.
import CLibXML2
import DHCPv4
import Foundation
import Mustache
import SafeText
import Store

private let template: MustacheTemplate = {
    _ = OutputFormat.registered
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Templates/fanvil/push/base.cfg.mustache").standardized.path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
          let parsed = try? MustacheTemplate(string: OutputFormat.cfg.pragma + text) else {
        fatalError("cannot read \(path)")
    }
    return parsed
}()

private let libxml2: Void = { xmlInitParser() }()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = template
    _ = libxml2
    return 0
}

private enum Field: UInt8, CaseIterable {
    case displayName, password, registrar, number, label, eventsURL
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let field = Field.allCases[Int(data[0]) % Field.allCases.count]
    let value = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    // An empty number or password is "unset" (a missing-variable error, not this property).
    if value.isEmpty { return 0 }
    var line = SIPLine(index: 1, number: "101", password: "pw", displayName: "Desk", registrar: "pbx")
    var device = Device(mac: MACAddress(value: 0x0c38_3e07_e16c), label: "Desk 1")
    var variables: [String: String] = [:]
    switch field {
    case .displayName: line.displayName = value
    case .password: line.password = value
    case .registrar: line.registrar = value
    case .number: line.number = value
    case .label: device.label = value; line.displayName = ""
    case .eventsURL: variables["events_url"] = value
    }
    device.lines = [line]
    let intended = intendedItems(line: line, label: device.label, eventsURL: variables["events_url"])
    do {
        let items = try PushRendering.items(template, name: "push/base.cfg.mustache", device: device, variables: variables)
        if let violation = ValueSafety.firstViolation(in: value) { fail("rendered a value with \(violation)", value) }
        guard items.map(\.key) == intended.map(\.key), items.map(\.value) == intended.map(\.value) else {
            fail("items \(items) instead of \(intended)", value)
        }
        let request: XMLServiceRequest
        do {
            request = try XMLServiceRequest.set(items)
        } catch {
            fail("request refused: \(error)", value)
        }
        let sent = parsedItems(request.body)
        guard sent.map(\.key) == intended.map(\.key), sent.map(\.value) == intended.map(\.value) else {
            fail("request parses back to \(sent) instead of \(intended)", value)
        }
    } catch {
        guard case .unsafeValue(_, _, let reason) = error, reason == ValueSafety.firstViolation(in: value) else {
            fail("unexpected error \(error)", value)
        }
    }
    return 0
}

/// What the shipped push template says for one line, values trimmed of
/// spaces and tabs as the dot-key format does.
private func intendedItems(line: SIPLine, label: String, eventsURL: String?) -> [(key: String, value: String)] {
    let display = line.displayName.isEmpty ? (label.isEmpty ? line.number : label) : line.displayName
    var items = [
        ("sip.line.1.PhoneNumber", line.number), ("sip.line.1.DisplayName", display),
        ("sip.line.1.RegisterAddr", line.registrar), ("sip.line.1.RegisterPort", "5060"),
        ("sip.line.1.RegisterUser", line.number), ("sip.line.1.RegisterPswd", line.password),
        ("sip.line.1.EnableReg", "1"),
    ]
    if let url = eventsURL {
        for (key, path) in [("BootCompletedUrl", "boot"), ("RegOnUrl", "reg-on"), ("RegOffUrl", "reg-off"), ("RegFailedUrl", "reg-failed")] {
            items.append(("cti.\(key)", url + "/\(path)?mac=$mac&ip=$ip"))
        }
    }
    return items.map { (key: $0.0, value: trimmed($0.1)) }
}

private func trimmed(_ text: String) -> String {
    var scalars = text.unicodeScalars[...]
    while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
    return String(String.UnicodeScalarView(scalars))
}

/// The `<Item>` texts of a request, parsed strictly (no recover mode), split
/// at the first `=` as the phone does.
private func parsedItems(_ body: String) -> [(key: String, value: String)] {
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    let bytes = Array(body.utf8)
    let document = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), nil, nil, options) }
    }
    guard let document else { fail("libxml2 refused the request", body) }
    defer { xmlFreeDoc(document) }
    var items: [(key: String, value: String)] = []
    var node = xmlDocGetRootElement(document)?.pointee.children
    while let current = node {
        if current.pointee.type == XML_ELEMENT_NODE, String(cString: current.pointee.name) == "Item" {
            var text = ""
            var child = current.pointee.children
            while let c = child {
                if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content { text += String(cString: content) }
                child = c.pointee.next
            }
            let scalars = text.unicodeScalars
            guard let equals = scalars.firstIndex(of: "=") else { fail("item without =", body) }
            items.append((trimmed(String(String.UnicodeScalarView(scalars[..<equals]))),
                          trimmed(String(String.UnicodeScalarView(scalars[scalars.index(after: equals)...])))))
        }
        node = current.pointee.next
    }
    return items
}

private func fail(_ message: String, _ value: String) -> Never {
    fatalError("\(message)\nvalue: \(Array(value.unicodeScalars.map(\.value)))")
}
