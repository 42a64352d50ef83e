/// Code 128 (ISO/IEC 15417), code set B: printable ASCII as a linear barcode that every scanner reads.
enum Code128 {
    /// Bar and space widths (in modules) of symbol values 0…106; 106 is the stop symbol with its final bar.
    static let patterns: [String] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ]

    static let startB = 104
    static let stop = 106

    /// Symbol values of `text` in code set B, with start, check and stop symbols; nil for text
    /// outside printable ASCII.
    static func symbols(_ text: String) -> [Int]? {
        var values = [startB]
        for scalar in text.unicodeScalars {
            guard (32...126).contains(scalar.value) else { return nil }
            values.append(Int(scalar.value) - 32)
        }
        let check = values.enumerated().reduce(0) { sum, entry in sum + entry.element * max(entry.offset, 1) } % 103
        return values + [check, stop]
    }

    /// Bar widths in modules, alternating bar and space, starting with a bar.
    static func widths(_ text: String) -> [Int]? {
        symbols(text).map { $0.flatMap { patterns[$0].compactMap { Int(String($0)) } } }
    }

    /// An SVG drawing of the barcode, `height` modules tall, with quiet zones of ten modules.
    static func svg(_ text: String, moduleWidth: Int = 2, height: Int = 60) -> String? {
        guard let widths = widths(text) else { return nil }
        let quiet = 10
        var x = quiet
        var bars = ""
        for (index, width) in widths.enumerated() {
            if index % 2 == 0 {
                bars += #"<rect x="\#(x * moduleWidth)" y="0" width="\#(width * moduleWidth)" height="\#(height)"/>"#
            }
            x += width
        }
        let total = (x + quiet) * moduleWidth
        return ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(total)" height="\##(height)" viewBox="0 0 \##(total) \##(height)" role="img" aria-label="\##(text)"><rect width="100%" height="100%" fill="#fff"/><g fill="#000">\##(bars)</g></svg>"##
    }
}
