pytest_plugins = ["tested_blog.provenance.collect"]
