<?php
/**
 * Deleting the plugin from the Plugins screen removes its one option (on every site of a
 * network). Charla itself keeps conversations on your edge, not in WordPress.
 *
 * @package CharlaChat
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'charla_chat' );

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $charla_chat_site_id ) {
		switch_to_blog( $charla_chat_site_id );
		delete_option( 'charla_chat' );
		restore_current_blog();
	}
}
