// libFuzzer target for the User-Agent parser, compiled by Fuzz/run.sh with
// Sources/Rendering/UserAgent.swift into one module against DHCPv4.
//
// VendorProfile.swift needs Yams, so a stand-in below holds only the
// compiled user_agent pattern, read from Templates/fanvil/profile.yml (the
// one the server uses) and compiled the same way: `Regex(text)`.
// Properties: never traps; a parse puts the User-Agent back together:
// "Fanvil <model> <firmware> <mac as sent>", the MAC being the last 12 characters.
import DHCPv4
import Foundation

public struct VendorProfile {
    let userAgent: Pattern
}

struct Pattern {
    let regex: Regex<AnyRegexOutput>

    func wholeMatch(in text: String) -> Regex<AnyRegexOutput>.Match? {
        try? regex.wholeMatch(in: text)
    }
}

/// `user_agent: '...'` of the Fanvil profile, found from this file's path.
private let fanvil: VendorProfile = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Templates/fanvil/profile.yml").path
    guard let yaml = try? String(contentsOfFile: path, encoding: .utf8),
          let line = yaml.split(separator: "\n").first(where: { $0.hasPrefix("user_agent: '") && $0.hasSuffix("'") })
    else { fatalError("no user_agent: '...' line in \(path)") }
    let pattern = line.dropFirst("user_agent: '".count).dropLast()
    do {
        return VendorProfile(userAgent: Pattern(regex: try Regex(String(pattern))))
    } catch {
        fatalError("user_agent of \(path) is not a regular expression: \(error)")
    }
}()

/// Compiles the pattern and runs one match before fuzzing: compiling a
/// `Regex` leaks its parse tree (once per profile load in the server), which
/// LeakSanitizer would blame on the first input.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard UserAgent("Fanvil X6U Pro 0.0.10 0c383e2cd782", profile: fanvil) != nil else {
        fatalError("the Fanvil pattern does not match a Fanvil User-Agent")
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let agent = UserAgent(text, profile: fanvil) else { return 0 }
    let macText = String(text.unicodeScalars.suffix(12))
    guard MACAddress(macText) == agent.mac else {
        fatalError("MAC \(agent.mac) is not the last 12 characters of \(Array(text.utf8))")
    }
    let rebuilt = "Fanvil \(agent.model) \(agent.firmware) \(macText)"
    guard rebuilt == text, !agent.firmware.contains(" "), !agent.model.isEmpty else {
        fatalError("parsed \(agent) does not give back \(Array(text.utf8))")
    }
    return 0
}
