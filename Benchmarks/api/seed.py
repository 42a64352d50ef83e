"""Creates N customers through the product's own API (POST /api/v1/customers), 16 at a time, and
writes their ids, one per line. Names come from common Turkish first names and surnames, so that a
typed name ("ayse yilmaz") finds a realistic share of them.

    python3 seed.py --base http://127.0.0.1:8080 --token crm_u_… --count 100000 --ids ids.txt
"""
import argparse, http.client, json, random, sys, threading, urllib.parse

FIRST = ["Ahmet", "Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "Emre", "Murat", "Ömer",
         "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Şerife", "Özlem", "Gül", "Çiğdem"]
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
        "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--ids", required=True)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base)
    ids, lock, failures = [], threading.Lock(), []
    counter = iter(range(args.count))

    def work(seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            body = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "phones": [{"number": f"05{rng.randint(30, 59)}{n:07d}", "label": "mobile"}]}
            connection.request("POST", "/api/v1/customers", json.dumps(body), headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 201:
                failures.append((response.status, answer[:200]))
                return
            with lock:
                ids.append(json.loads(answer)["id"])

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"seeding failed: {failures[0]}")
    with open(args.ids, "w") as out:
        out.write("\n".join(ids) + "\n")


main()
