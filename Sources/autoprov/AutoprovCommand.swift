import ArgumentParser

@main
struct AutoprovCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoprov",
        abstract: "Zero-touch provisioning for Fanvil/OpenVox IP phones: DHCP with option 66, config files, proof of registration.",
        subcommands: [
            ServeCommand.self, CheckConfigCommand.self, LeasesCommand.self, LeaseCommand.self, DeviceCommand.self,
            GroupCommand.self, RenderCommand.self, CheckTemplatesCommand.self, StatusCommand.self, PushCommand.self, PhoneCommand.self,
            ExportDHCPCommand.self,
        ])
}

/// The `--config` option shared by every subcommand.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file.")
    var config: String = "/etc/autoprov/autoprov.yml"
}
