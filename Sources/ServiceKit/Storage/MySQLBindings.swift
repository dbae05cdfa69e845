import CMariaDB

/// The `MYSQL_BIND` array of a prepared statement's parameters or result columns, with the memory it points to.
/// Owned by one statement execution; `deallocate()` frees everything.
struct MySQLBindings {
    /// How a result column is read back.
    enum Kind {
        case integer
        case double
        /// Text, and `DECIMAL` (read as its digits).
        case text
        case decimal
    }

    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let count: Int
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private var buffers: [UnsafeMutableRawPointer] = []
    private var kinds: [Kind] = []

    private init(count: Int) {
        self.count = count
        self.binds = .allocate(capacity: max(count, 1))
        self.binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        self.lengths = .allocate(capacity: max(count, 1))
        self.lengths.initialize(repeating: 0, count: max(count, 1))
        self.nulls = .allocate(capacity: max(count, 1))
        self.nulls.initialize(repeating: 0, count: max(count, 1))
    }

    /// The parameters of a statement, in `?` order.
    static func parameters(_ values: [SQLValue]) -> MySQLBindings {
        var bindings = MySQLBindings(count: values.count)
        for (index, value) in values.enumerated() {
            switch value {
            case .null:
                bindings.binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let integer):
                bindings.bind(index, MYSQL_TYPE_LONGLONG, bytesOf: integer)
            case .double(let double):
                bindings.bind(index, MYSQL_TYPE_DOUBLE, bytesOf: double)
            case .text(let text):
                let utf8 = Array(text.utf8)
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(utf8.count, 1), alignment: 1)
                buffer.copyMemory(from: utf8, byteCount: utf8.count)
                bindings.buffers.append(buffer)
                bindings.lengths[index] = UInt(utf8.count)
                bindings.binds[index].buffer_type = MYSQL_TYPE_STRING
                bindings.binds[index].buffer = buffer
                bindings.binds[index].buffer_length = UInt(utf8.count)
                bindings.binds[index].length = bindings.lengths + index
            }
        }
        return bindings
    }

    /// Buffers for the columns of a stored result, sized by each column's longest value (`max_length`).
    static func results(_ fields: UnsafeBufferPointer<MYSQL_FIELD>) -> MySQLBindings {
        var bindings = MySQLBindings(count: fields.count)
        for (index, field) in fields.enumerated() {
            let kind = Self.kind(of: field.type)
            bindings.kinds.append(kind)
            switch kind {
            case .integer:
                bindings.bind(index, MYSQL_TYPE_LONGLONG, bytesOf: Int64(0))
                bindings.binds[index].is_unsigned = field.flags & UInt32(UNSIGNED_FLAG) != 0 ? 1 : 0
            case .double:
                bindings.bind(index, MYSQL_TYPE_DOUBLE, bytesOf: Double(0))
            case .text, .decimal:
                let capacity = max(Int(field.max_length), 1)
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
                bindings.buffers.append(buffer)
                bindings.binds[index].buffer_type = MYSQL_TYPE_STRING
                bindings.binds[index].buffer = buffer
                bindings.binds[index].buffer_length = UInt(capacity)
            }
            bindings.binds[index].length = bindings.lengths + index
            bindings.binds[index].is_null = bindings.nulls + index
        }
        return bindings
    }

    /// The current row (after `mysql_stmt_fetch`), its columns named by `names`.
    func row(names: [String]) -> SQLRow {
        var columns: [String: SQLValue] = [:]
        for index in 0..<self.count {
            columns[names[index]] = self.value(at: index)
        }
        return SQLRow(columns: columns)
    }

    /// Frees the binds and their buffers.
    func deallocate() {
        for buffer in self.buffers { buffer.deallocate() }
        self.binds.deallocate()
        self.lengths.deallocate()
        self.nulls.deallocate()
    }

    private func value(at index: Int) -> SQLValue {
        guard self.nulls[index] == 0 else { return .null }
        let buffer = self.binds[index].buffer!
        switch self.kinds[index] {
        case .integer:
            return .integer(buffer.loadUnaligned(as: Int64.self))
        case .double:
            return .double(buffer.loadUnaligned(as: Double.self))
        case .text, .decimal:
            let length = min(Int(self.lengths[index]), Int(self.binds[index].buffer_length))
            let text = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
            guard self.kinds[index] == .decimal else { return .text(text) }
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.double) ?? .text(text)
        }
    }

    private mutating func bind<Value>(_ index: Int, _ type: enum_field_types, bytesOf value: Value) {
        let buffer = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<Value>.size, alignment: MemoryLayout<Value>.alignment)
        buffer.storeBytes(of: value, as: Value.self)
        self.buffers.append(buffer)
        self.binds[index].buffer_type = type
        self.binds[index].buffer = buffer
        self.binds[index].buffer_length = UInt(MemoryLayout<Value>.size)
    }

    private static func kind(of type: enum_field_types) -> Kind {
        switch type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG,
            MYSQL_TYPE_YEAR, MYSQL_TYPE_BIT:
            return .integer
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return .double
        case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            return .decimal
        default:
            return .text
        }
    }
}
