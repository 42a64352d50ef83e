@testable import Kernel
import Testing

@Suite("Code 128 barcodes on labels")
struct Code128Tests {
    @Test("the symbol table is the standard's: 107 distinct symbols of 11 modules, the stop of 13")
    func table() {
        #expect(Code128.patterns.count == 107)
        #expect(Set(Code128.patterns).count == 107)
        for (value, pattern) in Code128.patterns.enumerated() {
            let modules = pattern.compactMap { Int(String($0)) }.reduce(0, +)
            #expect(modules == (value == Code128.stop ? 13 : 11), "symbol \(value)")
        }
    }

    @Test("a tag encodes as start B, its characters, the mod-103 check and stop, and reads back")
    func encoding() throws {
        let symbols = try #require(Code128.symbols("KT0001C7"))
        #expect(symbols.first == Code128.startB && symbols.last == Code128.stop)
        #expect(Array(symbols[1...8]) == "KT0001C7".unicodeScalars.map { Int($0.value) - 32 })
        let weighted = symbols.dropLast(2).enumerated().reduce(0) { $0 + $1.element * max($1.offset, 1) }
        #expect(symbols[symbols.count - 2] == weighted % 103)
        // Decode the bars back, symbol by symbol, as a scanner would.
        let widths = try #require(Code128.widths("KT0001C7"))
        var decoded: [Int] = []
        var index = 0
        while index + 6 <= widths.count {
            let chunk = widths[index..<index + 6].map(String.init).joined()
            if let value = Code128.patterns.firstIndex(of: chunk) { decoded.append(value) }
            index += 6
        }
        #expect(Array(decoded.prefix(symbols.count - 1)) == Array(symbols.dropLast()))
        #expect(Code128.symbols("Işık") == nil)
        #expect(Code128.svg("KT0001C7")?.hasPrefix("<svg") == true)
    }
}
