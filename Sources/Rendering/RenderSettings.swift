/// The rendering part of the configuration: where templates are, and the
/// global and per-model variables.
public struct RenderSettings: Sendable {
    /// The user's template folder, searched first; nil for none.
    public var overrideFolder: String?
    /// The shipped `Templates/` folder.
    public var shippedFolder: String
    /// The vendor subfolder (`fanvil`).
    public var vendor: String
    public var globalVariables: [String: String]
    public var modelVariables: [String: [String: String]]

    public init(
        overrideFolder: String? = nil, shippedFolder: String, vendor: String = "fanvil",
        globalVariables: [String: String] = [:], modelVariables: [String: [String: String]] = [:]
    ) {
        self.overrideFolder = overrideFolder
        self.shippedFolder = shippedFolder
        self.vendor = vendor
        self.globalVariables = globalVariables
        self.modelVariables = modelVariables
    }
}
