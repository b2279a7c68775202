.PHONY: dev test build bench setup
dev:    ## build and run edge + inbox + demo site on 127.0.0.1
	bash scripts/dev.sh
test:   ## every check and test (what CI runs)
	bash scripts/test.sh
build:
	bash scripts/build.sh all
bench:  ## print size and latency figures
	bash bench/run.sh
setup:
	bash scripts/setup.sh --test
.PHONY: deploy-check
deploy-check:  ## wrangler deploy --dry-run: bindings checked, the worker's gzip size against the limits
	bash scripts/deploy-check.sh
.PHONY: wordpress-zip
wordpress-zip:  ## the installable WordPress plugin: dist-plugins/charla-chat.zip
	bash scripts/package-wordpress.sh
.PHONY: wordpress-check
wordpress-check:  ## the plugin on a real WordPress (Debian's package, apt-installed if missing)
	bash tests/wordpress/real-wordpress.sh
