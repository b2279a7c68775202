<?php
/**
 * Deleting the plugin from the Plugins screen removes its one option (on every site of a
 * network). Charla itself keeps conversations on your edge, not in WordPress.
 *
 * @package CharlaChat
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'charla_chat' );

// get_sites() answers 100 sites unless told otherwise: walk the whole network, a page at a time
// (a large network is not loaded into memory at once).
if ( is_multisite() ) {
	$charla_chat_offset = 0;
	do {
		$charla_chat_sites = get_sites(
			array(
				'fields' => 'ids',
				'number' => 100,
				'offset' => $charla_chat_offset,
			)
		);
		foreach ( $charla_chat_sites as $charla_chat_site_id ) {
			switch_to_blog( $charla_chat_site_id );
			delete_option( 'charla_chat' );
			restore_current_blog();
		}
		$charla_chat_offset += 100;
	} while ( count( $charla_chat_sites ) === 100 );
}
