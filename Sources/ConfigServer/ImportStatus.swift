import Hummingbird
import Store

/// Where one CSV import stands (Docs/openapi.yaml `Import`): what
/// `GET /api/v1/imports/{id}` answers. Errors give the line, the column and
/// what is wrong, never a cell's value.
public struct ImportStatus: ResponseEncodable, Sendable, Equatable {
    public struct Problem: Encodable, Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var column_name: String?
        public var message: String

        init(_ error: CSVImportError) {
            line = error.line
            column = error.column
            column_name = error.columnName
            message = error.message
        }

        enum CodingKeys: String, CodingKey { case line, column, column_name, message }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(column_name, forKey: .column_name)
            try c.encode(message, forKey: .message)
        }
    }

    public var id: String
    public var state: DeviceImport.Phase
    /// Rows checked (while validating) or written (while writing, and done).
    public var rows_done: Int
    /// Rows in the file; 0 until it is parsed.
    public var rows_total: Int
    /// Devices inserted or updated, once done.
    public var imported: Int?
    public var errors: [Problem]
    public var created: Double
    public var finished: Double?

    enum CodingKeys: String, CodingKey {
        case id, state, rows_done, rows_total, imported, errors, created, finished
    }

    /// Every key is always present; a missing value is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(state.rawValue, forKey: .state)
        try c.encode(rows_done, forKey: .rows_done)
        try c.encode(rows_total, forKey: .rows_total)
        try c.encode(imported, forKey: .imported)
        try c.encode(errors, forKey: .errors)
        try c.encode(created, forKey: .created)
        try c.encode(finished, forKey: .finished)
    }
}
