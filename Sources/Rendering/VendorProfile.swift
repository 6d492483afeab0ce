import DHCPv4
import Foundation
import Yams

/// What autoprov knows about one vendor's phones, loaded from
/// `Templates/<vendor>/profile.yml`: data, so that a new model is a line
/// in a file, not a release.
public struct VendorProfile: Sendable {
    public struct Model: Sendable, Equatable {
        public var name: String
        /// The per-model common file the phone asks for (case-sensitive).
        public var commonFile: String?
    }

    public var vendor: String
    public var ouis: [UInt32]
    public var models: [Model]
    let userAgent: Pattern
    let firmwareCheckFile: Pattern
    let commonFiles: [String: String]

    /// Loads `profile.yml`; errors name the file and the key.
    public init(path: String) throws(RenderError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .profile(path: path, message: "cannot be read")
        }
        try self.init(yaml: text, path: path)
    }

    public init(yaml: String, path: String) throws(RenderError) {
        let file: ProfileFile
        do {
            file = try YAMLDecoder().decode(ProfileFile.self, from: yaml)
        } catch {
            throw .profile(path: path, message: "\(error)")
        }
        vendor = file.vendor
        ouis = try file.ouis.map { text throws(RenderError) in
            guard let mac = MACAddress(text + ":00:00:00") else {
                throw .profile(path: path, message: "ouis: expected xx:xx:xx, got \"\(text)\"")
            }
            return mac.oui
        }
        do {
            userAgent = Pattern(regex: try Regex(file.user_agent))
        } catch {
            throw .profile(path: path, message: "user_agent: not a regular expression (\(error))")
        }
        do {
            firmwareCheckFile = Pattern(regex: try Regex(file.firmware_check_file))
        } catch {
            throw .profile(path: path, message: "firmware_check_file: not a regular expression (\(error))")
        }
        models = file.models.map { Model(name: $0.key, commonFile: $0.value.common_file) }.sorted { $0.name < $1.name }
        var common: [String: String] = [:]
        for model in models {
            guard let name = model.commonFile else { continue }
            if let other = common[name] {
                throw .profile(path: path, message: "models.\(model.name).common_file: \(name) is also \(other)'s")
            }
            common[name] = model.name
        }
        commonFiles = common
    }

    /// The model whose common file is `name`, if any.
    public func model(forCommonFile name: String) -> String? { commonFiles[name] }

    struct ProfileFile: Decodable {
        struct ModelEntry: Decodable { var common_file: String? }
        var vendor: String
        var ouis: [String]
        var user_agent: String
        var models: [String: ModelEntry]
        var firmware_check_file: String
    }
}

/// A compiled pattern shared between requests. `Regex` is a value whose
/// program is never mutated after compilation; it is only not `Sendable`
/// because its output type could hold anything.
struct Pattern: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    func wholeMatch(in text: String) -> Regex<AnyRegexOutput>.Match? {
        try? regex.wholeMatch(in: text)
    }
}
