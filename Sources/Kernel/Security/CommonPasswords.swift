/// Passwords and base words seen at the top of leaked-password lists, in Turkey and worldwide,
/// compared after Turkish folding (lowercase, ş → s, ı → i, …).
enum CommonPasswords {
    /// Whole passwords of 10 characters or more (shorter ones fail the length rule anyway).
    static let exact: Set<String> = [
        "1234567890", "0123456789", "0987654321", "12345678910", "123456789a", "123456789q", "a123456789",
        "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qazwsxedcrfv", "zaq12wsxcde3", "1qazxsw23edc",
        "qwertyuiop", "qwertyuiop1", "qwerty1234", "qwerty12345", "qwerty123456", "asdfghjkl1", "asdfghjkl123",
        "zxcvbnm123", "zxcvbnm1234", "q1w2e3r4t5", "q1w2e3r4t5y6", "a1b2c3d4e5", "1a2b3c4d5e",
        "password12", "password123", "password1234", "password12345", "passw0rd12", "p@ssw0rd123", "p@ssword123",
        "iloveyou12", "iloveyou123", "abcd123456", "abc1234567", "abcdefghij", "abcdefghijk", "abcde12345",
        "letmein123", "welcome123", "welcome1234", "admin12345", "admin123456", "administrator", "changeme123",
        "football123", "baseball123", "princess123", "sunshine123", "superman123", "starwars123", "whatever123",
        "monkey12345", "dragon1234", "trustno1234", "master1234", "qwerty1234567", "1234qwerty", "123qweasd",
        "123qweasdzxc", "qweasdzxc123", "qweasd1234", "1234abcd1234", "11223344556677",
        "sifre12345", "sifre123456", "sifre1234567", "parola1234", "parola12345", "parola123456",
        "galatasaray", "galatasaray1905", "fenerbahce", "fenerbahce1907", "besiktas1903", "trabzonspor",
        "trabzonspor1967", "istanbul34", "istanbul1453", "istanbul123", "ankara0606", "turkiye1923",
        "ataturk1881", "ataturk1938", "seniseviyorum", "seni seviyorum", "asdasdasdasd", "qweqweqweqwe",
    ]

    /// Words that stay weak whatever digits and symbols are added around them.
    static let words: Set<String> = [
        "password", "passw", "pass", "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm", "qaz", "wsx",
        "qazwsx", "qwe", "asd", "zxc", "qweasd", "qweasdzxc", "abc", "abcd", "abcdef", "iloveyou", "letmein",
        "welcome", "admin", "administrator", "root", "user", "login", "test", "guest", "changeme", "secret",
        "master", "monkey", "dragon", "football", "baseball", "princess", "sunshine", "superman", "starwars",
        "sifre", "parola", "sifrem", "parolam", "galatasaray", "fenerbahce", "besiktas", "trabzonspor",
        "bursaspor", "istanbul", "ankara", "izmir", "antalya", "bursa", "turkiye", "turkey", "ataturk",
        "seniseviyorum", "askim", "canim", "bebegim", "hayatim", "sevgilim", "allah", "mustafa", "mehmet",
        "ahmet", "ayse", "fatma", "merhaba",
    ]
}
