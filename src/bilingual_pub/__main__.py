from bilingual_pub.cli import main

main()
