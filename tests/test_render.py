import datetime as dt

from generator.render import Urls, display_date, path_to_file


def test_links_are_relative_so_any_subpath_works() -> None:
    urls = Urls("https://org.github.io/briefings/")
    assert urls.relative("briefings/a/", "tags/trade/") == "../../tags/trade/"
    assert urls.relative("briefings/a/", "") == "../../"
    assert urls.relative("", "static/style.css") == "static/style.css"
    assert urls.relative("", "") == "./"
    assert urls.relative("tags/", "tags/") == "./"


def test_the_404_page_links_from_the_site_root_path() -> None:
    urls = Urls("https://org.github.io/briefings/")
    assert urls.relative("404.html", "tags/") == "/briefings/tags/"
    assert urls.absolute("tags/") == "https://org.github.io/briefings/tags/"


def test_file_urls_can_name_index_html() -> None:
    urls = Urls("https://example.org/", directory_urls=False)
    assert urls.relative("briefings/a/", "tags/") == "../../tags/index.html"


def test_dates_read_naturally_at_their_precision() -> None:
    day = dt.date(2025, 9, 4)
    assert display_date(day) == "4 September 2025"
    assert display_date(day, "month") == "September 2025"
    assert display_date(day, "year") == "2025"
    assert path_to_file("briefings/a/") == "briefings/a/index.html"
    assert path_to_file("404.html") == "404.html"
