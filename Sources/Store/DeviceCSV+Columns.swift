import DHCPv4

/// Header and cell parsing for `DeviceCSV`.
extension DeviceCSV {
    enum Column: Equatable {
        case mac, label, model, group, adminUser, adminPassword
        case line(Int, String)
        case variable(String)
    }

    static func parseHeader(_ header: [String]) throws(CSVImportError) -> [Column] {
        var columns: [Column] = []
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            let column: Column? = switch name {
            case "mac": .mac
            case "label": .label
            case "model": .model
            case "group": .group
            case "admin_user": .adminUser
            case "admin_password": .adminPassword
            default: lineOrVariable(name)
            }
            guard let column else {
                throw CSVImportError(
                    line: 1, column: i + 1, columnName: raw,
                    message: "unknown column; expected mac, label, model, group, admin_user, admin_password, lineN_<field> (N 1-16, field one of \(lineFields.joined(separator: ", "))) or var_<name>")
            }
            if columns.contains(column) {
                throw CSVImportError(line: 1, column: i + 1, columnName: raw, message: "column given twice")
            }
            columns.append(column)
        }
        guard columns.contains(.mac) else {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "expected a mac column in the header")
        }
        return columns
    }

    static func lineOrVariable(_ name: String) -> Column? {
        if name.hasPrefix("var_") {
            let variable = String(name.dropFirst(4))
            return DeviceValidation.isVariableName(variable) && !DeviceValidation.reservedNames.contains(variable)
                ? .variable(variable) : nil
        }
        guard name.hasPrefix("line"), let underscore = name.firstIndex(of: "_"),
              let n = Int(name[name.index(name.startIndex, offsetBy: 4)..<underscore]), (1...SIPLine.maxIndex).contains(n)
        else { return nil }
        let field = String(name[name.index(after: underscore)...])
        return lineFields.contains(field) ? .line(n, field) : nil
    }

    static func parseRow(_ fields: [String], columns: [Column], line: Int) throws(CSVImportError) -> Row {
        var device = Device(mac: MACAddress(value: 0))
        var lines: [Int: SIPLine] = [:]
        var groupColumn: Int?
        for (i, (column, cell)) in zip(columns, fields).enumerated() {
            let value = restored(cell)
            func fail(_ message: String) -> CSVImportError {
                CSVImportError(line: line, column: i + 1, columnName: name(of: column), message: message)
            }
            do {
                try DeviceValidation.checkValue(value, field: name(of: column))
            } catch {
                throw fail(error.message)
            }
            switch column {
            case .mac:
                guard let mac = MACAddress(value.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("expected a MAC like 0c383e07e16c or 0c:38:3e:07:e1:6c")
                }
                guard mac.value != 0 else { throw fail("000000000000 is not a device") }
                device.mac = mac
            case .label: device.label = value
            case .model: device.model = value.isEmpty ? nil : value
            case .group:
                groupColumn = i + 1
                if !value.isEmpty {
                    guard DeviceValidation.isGroupName(value) else { throw fail("expected 1-64 of A-Z a-z 0-9 _ . -") }
                    device.group = value
                }
            case .adminUser: device.adminUser = value.isEmpty ? nil : value
            case .adminPassword: device.adminPassword = value.isEmpty ? nil : value
            case .variable(let name): if !value.isEmpty { device.variables[name] = value }
            case .line(let n, let field):
                guard !value.isEmpty else { continue }
                var l = lines[n] ?? SIPLine(index: n, number: "")
                do {
                    try l.set(field, to: value)
                } catch {
                    throw fail(error.message)
                }
                lines[n] = l
            }
        }
        for (n, l) in lines.sorted(by: { $0.key < $1.key }) where l.number.isEmpty {
            let column = columns.firstIndex(of: .line(n, "number")).map { $0 + 1 } ?? 1
            throw CSVImportError(
                line: line, column: column, columnName: "line\(n)_number", message: "line \(n) has settings but no number")
        }
        device.lines = lines.values.sorted { $0.index < $1.index }
        return Row(device: device, line: line, groupColumn: groupColumn)
    }

    static func name(of column: Column) -> String {
        switch column {
        case .mac: "mac"
        case .label: "label"
        case .model: "model"
        case .group: "group"
        case .adminUser: "admin_user"
        case .adminPassword: "admin_password"
        case .line(let n, let field): "line\(n)_\(field)"
        case .variable(let name): "var_\(name)"
        }
    }
}

extension Error {
    /// The message of an `InventoryError.invalid` without its field, else the description.
    var message: String {
        if let error = self as? InventoryError, case .invalid(_, let message) = error { return message }
        return String(describing: self)
    }
}
